"""Copy the front-end packages installed by npm into the static files.

The design system is installed from the npm registry (package.json and its lock), never copied by
hand; this script only moves the built files from node_modules to where Django serves them, so a
new DKFDS version is one line in package.json.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "sammen" / "static" / "vendor"

# (source inside node_modules, destination inside static/vendor)
COPIES = [
    ("dkfds/dist/css", "dkfds/css"),
    ("dkfds/dist/js", "dkfds/js"),
    ("dkfds/dist/fonts", "dkfds/fonts"),
    ("dkfds/dist/img", "dkfds/img"),
    ("dkfds/LICENSE.md", "dkfds/LICENSE.md"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("htmx.org/LICENSE", "htmx/LICENSE"),
]


def main() -> int:
    missing = [src for src, _ in COPIES if not (NODE / src).exists()]
    if missing:
        print(f"Front-end packages are missing ({', '.join(missing)}); run `npm ci` first.")
        return 1
    for src, dest in COPIES:
        target = VENDOR / dest
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        if (NODE / src).is_dir():
            shutil.copytree(NODE / src, target)
        else:
            shutil.copy2(NODE / src, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())

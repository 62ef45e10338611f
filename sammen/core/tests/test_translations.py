"""The Danish catalogue is complete: every interface text has a Danish translation, none is fuzzy.

(`make lint` checks that the catalogue holds every text in the code; see scripts/check-messages.)
"""

import re
from pathlib import Path

from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "sammen" / "locale" / "da" / "LC_MESSAGES" / "django.po"


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as dicts with msgid, msgstr (joined) and flags. Enough for this check."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        entry: dict = {"flags": "", "msgid": "", "msgstr": "", "plural": False}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid_plural"):
                entry["plural"] = True
                key = None
            elif line.startswith("msgid "):
                key = "msgid"
                entry[key] += line[6:].strip().strip('"')
            elif line.startswith("msgstr"):
                key = "msgstr"
                entry[key] += line.split(" ", 1)[1].strip().strip('"')
            elif line.startswith('"') and key:
                entry[key] += line.strip().strip('"')
        entries.append(entry)
    return [e for e in entries if e["msgid"]]


def test_every_interface_text_has_a_danish_translation():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [e["msgid"] for e in entries if not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not missing, f"{len(missing)} texts lack a Danish translation, e.g. {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} Danish translations are marked fuzzy, e.g. {fuzzy[:10]}"


def test_gettext_is_never_imported_under_a_name_makemessages_cannot_see():
    """makemessages extracts `_`, `gettext`, `pgettext`, … but not an alias such as `_g`: texts
    behind one would silently stay English on the Danish site."""
    root = Path(settings.BASE_DIR) / "sammen"
    pattern = re.compile(r"import\s+(?:[\w, ]+,\s*)?(\w*gettext\w*)\s+as\s+(\w+)")
    offenders = []
    for path in root.rglob("*.py"):
        for function, alias in pattern.findall(path.read_text(encoding="utf-8")):
            if alias != "_":
                offenders.append(f"{path.relative_to(root)}: {function} as {alias}")
    assert not offenders, offenders

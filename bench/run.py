#!/usr/bin/env python3
"""Benchmark the public pages under gunicorn against PostgreSQL with 100,000 opportunities and
20,000 ideas.

    make bench                         # or: .venv/bin/python bench/run.py [options]

Steps: create the database if missing, migrate, load the reference data, seed the opportunities
(skipped when there are enough), collect static files, start gunicorn (production settings, DEBUG
off) on a free port of 127.0.0.1, warm up, then measure each page with the same closed-loop load:
a fixed number of requests from a fixed number of threads, each on its own keep-alive connection,
stopped early by a time cap. Prints requests per second and latency percentiles per page, and each
page's throughput as a fraction of the ceiling (`/bench/ceiling`, see bench/urls.py).

Standard library only (plus the project's own virtual environment for Django and gunicorn). It
only ever talks to 127.0.0.1, stops by itself, and is not part of the test suite.
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sammen_bench"


# --- set-up ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "BEHIND_TLS_PROXY": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def create_database(database_url: str) -> None:
    """Create the PostgreSQL database when it does not exist (connecting to `postgres`)."""
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    if url.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("The benchmark needs PostgreSQL: --database-url postgres://…")
    name = url.path.lstrip("/")
    if url.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The benchmark only uses a database on this machine (127.0.0.1).")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def vacuum_analyze(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute("VACUUM ANALYZE")


SETUP_SNIPPET = """
import json, django
django.setup()
from django.urls import reverse
from django.utils import translation
from sammen.api.ideas import public_ideas
from sammen.ideas.models import Idea
from sammen.participation.models import Opportunity
translation.activate("da")
opportunity = Opportunity.objects.filter(is_published=True, withdrawn_at__isnull=True).order_by("pk").first()
idea = public_ideas().order_by("pk").first()
print(json.dumps({
    "count": Opportunity.objects.count(),
    "ideas": Idea.objects.count(),
    "api_ideas": reverse("api:idea_list"),
    "api_idea": reverse("api:idea_detail", args=[idea.reference]) if idea else None,
    "postgres": __import__("django.db").db.connection.cursor().connection.info.server_version,
    "home": reverse("participation:home"),
    "list": reverse("participation:opportunity_list"),
    "detail": opportunity.get_absolute_url() if opportunity else None,
    "api": reverse("api:opportunity_list"),
}))
"""


def site_facts(env: dict[str, str]) -> dict:
    out = manage(env, "shell", "--no-imports", "-c", SETUP_SNIPPET, timeout=120)
    return json.loads(out.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_file) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sammen.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,  # tracebacks of failing pages go to the log, not the table
        start_new_session=True,
    )


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # our own session: gunicorn and its workers only
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --- load --------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    path: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.latencies) and set(self.statuses) == {200} and not self.errors

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000


def hammer(port: int, path: str, *, requests: int, concurrency: int, max_seconds: float) -> Result:
    """Send `requests` GETs from `concurrency` threads (keep-alive), stopping at `max_seconds`."""
    result = Result(name="", path=path)
    lock = threading.Lock()
    remaining = [requests]
    stop_at = time.monotonic() + max_seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        errors = 0
        while time.monotonic() < stop_at:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Language": "da"})
                response = connection.getresponse()
                response.read()
                latencies.append(time.perf_counter() - started)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max_seconds + 60)
    result.elapsed = time.perf_counter() - started
    return result


def table(results: list[Result], ceiling: Result | None) -> str:
    header = f"{'page':<22} {'status':<10} {'req':>6} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'ceiling':>8}"
    lines = [header, "-" * len(header)]
    for r in results:
        if r.ok:
            share = f"{r.rps / ceiling.rps:.0%}" if ceiling and ceiling.ok else "-"
            status = "ok"
        else:
            codes = ",".join(str(c) for c in sorted(r.statuses) if c != 200) or "error"
            share, status = "-", f"FAILED {codes}"
        lines.append(
            f"{r.name:<22} {status:<10} {len(r.latencies):>6} {r.rps:>8.1f} "
            f"{r.percentile(50):>8.1f} {r.percentile(90):>8.1f} {r.percentile(99):>8.1f} {share:>8}"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
    }


# --- main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--requests", type=int, default=1000, help="requests per page")
    parser.add_argument("--max-seconds", type=float, default=30, help="time cap per page")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up requests per page")
    args = parser.parse_args()

    create_database(args.database_url)
    env = environment(args.database_url)
    log("migrating and loading reference data")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_reference_data")
    facts = site_facts(env)
    missing = args.opportunities - facts["count"]
    if missing > 0:
        log(f"seeding {missing} opportunities")
        started = time.monotonic()
        manage(env, "seed_demo", "--opportunities", str(missing), timeout=1800)
        log(f"seeded in {time.monotonic() - started:.0f} s")
        facts = site_facts(env)
    else:
        log(f"{facts['count']} opportunities already there; not seeding")
    missing_ideas = args.ideas - facts["ideas"]
    if missing_ideas > 0:
        log(f"seeding {missing_ideas} ideas")
        started = time.monotonic()
        manage(env, "seed_demo", "--ideas", str(missing_ideas), timeout=1800)
        log(f"seeded in {time.monotonic() - started:.0f} s")
        facts = site_facts(env)
    else:
        log(f"{facts['ideas']} ideas already there; not seeding")
    # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them; without
    # them PostgreSQL guesses a handful of rows and picks nested loops over 100,000.
    log("VACUUM ANALYZE")
    vacuum_analyze(args.database_url)
    log("collecting static files")
    manage(env, "collectstatic", "--no-input", "-v", "0")

    pages = [
        ("ceiling", "/bench/ceiling"),
        ("front page", facts["home"]),
        ("list", facts["list"]),
        ("list: district+channel", f"{facts['list']}?district=noerrebro&channel=hoering"),
        ("search: cykelsti", f"{facts['list']}?q=cykelsti"),
        ("opportunity page", facts["detail"] or "/missing-opportunity/"),
        ("API list", facts["api"]),
        ("API ideas", facts["api_ideas"]),
        ("API ideas: filtered", f"{facts['api_ideas']}?district=noerrebro&state=closed"),
        ("API idea", facts["api_idea"] or "/api/v1/ideas/missing"),
    ]
    port = free_port()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    server_log = out / f"{stamp}-gunicorn.log"
    log(f"starting gunicorn ({args.workers} workers) on {HOST}:{port}; its log: {server_log}")
    server_log_file = server_log.open("w")
    server = start_gunicorn(env, port, args.workers, server_log_file)
    results: list[Result] = []
    try:
        wait_until_up(port, server)
        for name, path in pages:
            hammer(port, path, requests=args.warmup, concurrency=args.concurrency, max_seconds=15)
            log(f"measuring {name}: {path}")
            result = hammer(
                port,
                path,
                requests=args.requests,
                concurrency=args.concurrency,
                max_seconds=args.max_seconds,
            )
            result.name = name
            results.append(result)
    finally:
        stop(server)
        server_log_file.close()

    ceiling = results[0] if results and results[0].name == "ceiling" else None
    version = int(facts.get("postgres") or 0)
    facts_line = machine() | {"postgres": f"{version // 10000}.{version % 10000}"}
    print()
    print(
        f"{facts['count']} opportunities, {facts['ideas']} ideas; gunicorn {args.workers} sync workers; "
        f"{args.concurrency} client threads; {args.requests} requests per page "
        f"(cap {args.max_seconds:.0f} s)"
    )
    print(
        f"{facts_line['cpu']}, {facts_line['cores']} cores, {facts_line['memory']}; "
        f"Python {facts_line['python']}; PostgreSQL {facts_line['postgres']}"
    )
    print(table(results, ceiling))
    if not all(r.ok for r in results):
        print(f"Failed pages: see {server_log.relative_to(ROOT)} for the server's errors.")
    (out / f"{stamp}.json").write_text(
        json.dumps(
            {
                "machine": facts_line,
                "args": vars(args) | {"database_url": "(omitted)"},
                "pages": [
                    {
                        "name": r.name,
                        "path": r.path,
                        "ok": r.ok,
                        "statuses": r.statuses,
                        "errors": r.errors,
                        "requests": len(r.latencies),
                        "rps": round(r.rps, 1),
                        "p50_ms": round(r.percentile(50), 1),
                        "p90_ms": round(r.percentile(90), 1),
                        "p99_ms": round(r.percentile(99), 1),
                    }
                    for r in results
                ],
            },
            indent=1,
        )
    )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark settings: the production settings plus one trivial view to measure the ceiling.

The environment (set by bench/run.py) supplies what production would: DEBUG off, a generated
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1. Only the URLconf and where collected static files go differ.
"""

from sammen.settings import *  # noqa: F403  (production settings, then the benchmark's changes)
from sammen.settings import BASE_DIR

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = BASE_DIR / "var" / "bench-static"

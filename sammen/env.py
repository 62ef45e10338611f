"""Typed readers for settings that come from the environment.

Each reader refuses a value it cannot understand with ImproperlyConfigured, naming the variable,
so a typo in production stops the start instead of silently falling back to a default.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {value!r}."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(
    name: str, default: list[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(
    name: str, default: str, *, base_dir: Path, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Parse a database URL; relative SQLite paths are taken from the project root."""
    value = _raw(name, environ) or default
    if value.startswith("sqlite:///") and not value.startswith("sqlite:////"):
        value = f"sqlite:///{base_dir / value.removeprefix('sqlite:///')}"
    try:
        config = dj_database_url.parse(value, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} is not a database URL this platform understands: {exc}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"{name} must point to PostgreSQL or SQLite, not {engine or value!r}."
        )
    return config

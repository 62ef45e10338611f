"""The channels of influence: names from the shared reference data, texts from data/channels.json."""

import json
from collections.abc import Iterator
from pathlib import Path

from sammen.participation.models import Channel

TEXTS = Path(__file__).resolve().parent / "data" / "channels.json"
_TEXT_FIELDS = [
    f"{name}_{lang}"
    for name in ("description", "who", "how", "run_by", "response_time")
    for lang in ("da", "en")
]


def load_channels(items: list[dict]) -> Iterator[bool]:
    """Create or update each channel; yields whether it was created. Written texts are kept."""
    texts = json.loads(TEXTS.read_text(encoding="utf-8"))["channels"] if TEXTS.exists() else {}
    for order, item in enumerate(items, start=1):
        channel, created = Channel.objects.update_or_create(
            slug=item["slug"],
            defaults={"name_da": item["name_da"], "name_en": item["name_en"]},
            create_defaults={
                "name_da": item["name_da"],
                "name_en": item["name_en"],
                "order": order * 10,
            },
        )
        extra = texts.get(item["slug"], {})
        changed = [f for f in _TEXT_FIELDS if extra.get(f) and not getattr(channel, f)]
        for f in changed:
            setattr(channel, f, extra[f])
        if not channel.url and extra.get("url"):
            channel.url = extra["url"]
            changed.append("url")
        if changed:
            channel.save(update_fields=changed)
        yield created

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import gettext as _


def language_links(request: HttpRequest) -> list[tuple[str, str, str]]:
    """(code, url, label) for each language, pointing to the same page in that language."""
    path = request.get_full_path()
    labels = {"da": "Dansk", "en": "English"}
    return [
        (code, translate_url(path, code), labels.get(code, code))
        for code, _name in settings.LANGUAGES
    ]


def main_menu(request: HttpRequest) -> list[dict]:
    from django.urls import reverse

    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    items = [
        ("participation:home", _("Get involved")),
        ("participation:opportunity_list", _("Opportunities")),
        ("participation:channel_list", _("Ways to take part")),
        ("participation:district_list", _("Districts")),
        ("ideas:board", _("Ideas")),
        ("ideas:submit", _("Submit an idea")),
        ("knowledge_public:example_list", _("Experiences")),
        ("events:list", _("Events")),
        ("participation:subscribe", _("Subscribe")),
    ]
    return [
        {"url": reverse(name), "label": label, "current": name == current} for name, label in items
    ]


def site(request: HttpRequest) -> dict:
    links = language_links(request)
    return {
        "SITE_NAME": "Sammen om Byen",
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "language_links": links,
        "language_urls": [(code, request.build_absolute_uri(url)) for code, url, _label in links],
        "main_menu": main_menu(request),
    }

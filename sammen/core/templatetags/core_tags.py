"""Template helpers for the DKFDS component layer."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "textarea": "form-input",
    "checkbox": "form-checkbox",
}


@register.filter
def widget_type(field: BoundField) -> str:
    return field.widget_type


@register.filter
def choice_count(field: BoundField) -> int:
    return len(field.field.choices) if hasattr(field.field, "choices") else 0


@register.filter
def add_described_by(field: BoundField) -> SafeString:
    """Render the widget with DKFDS classes and aria attributes linking its hint and error."""
    attrs: dict[str, str] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    css = _INPUT_CLASSES.get(field.widget_type, "form-input")
    existing = field.field.widget.attrs.get("class", "")
    attrs["class"] = f"{css} {existing}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def page_window(page_obj, size: int = 2) -> list[int | None]:
    """Page numbers around the current one, with None where pages are skipped (shown as …)."""
    current, last = page_obj.number, page_obj.paginator.num_pages
    wanted = {1, last, *range(current - size, current + size + 1)}
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers

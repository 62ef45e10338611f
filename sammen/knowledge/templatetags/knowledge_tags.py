from django import template
from django.utils.safestring import SafeString

from sammen.knowledge.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown rendered to sanitised HTML (see sammen.knowledge.rendering)."""
    return render_markdown(text)

import uuid

from django import template
from django.utils.html import format_html

from cases import formatting
from cases.enums import CaseStatus
from cases.submissions import FORM_TOKEN

register = template.Library()

register.filter("euros", formatting.euros)
register.filter("long_date", formatting.long_date)


@register.filter
def status_label(value: str) -> str:
    """'under_examination' -> 'En examen'."""
    return CaseStatus(value).label if value in CaseStatus.values else value


@register.filter
def de_name(value) -> str:
    """{{ user|de_name }}: 'de Paul', 'd'Antoine' (cases.formatting.de_name)."""
    return formatting.de_name(value)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def form_token() -> str:
    """A form's one-time token (cases.submissions): the same form sent twice is done once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN, uuid.uuid4())


@register.simple_tag(takes_context=True)
def query_with_page(context, name: str, number: int) -> str:
    """The current query string with the page parameter `name` set to `number`."""
    query = context["request"].GET.copy()
    query[name] = number
    return query.urlencode()

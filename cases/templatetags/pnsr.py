from django import template

from cases import formatting
from cases.enums import CaseStatus

register = template.Library()

register.filter("euros", formatting.euros)
register.filter("long_date", formatting.long_date)


@register.filter
def status_label(value: str) -> str:
    """'under_examination' -> 'En examen'."""
    return CaseStatus(value).label if value in CaseStatus.values else value


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()

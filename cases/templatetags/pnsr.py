from django import template

from cases import formatting

register = template.Library()

register.filter("euros", formatting.euros)
register.filter("long_date", formatting.long_date)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()

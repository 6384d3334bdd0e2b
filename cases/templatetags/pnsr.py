import uuid

from django import template
from django.utils.html import format_html

from cases import formatting
from cases.enums import CaseStatus
from cases.submissions import FORM_TOKEN

register = template.Library()

register.filter("euros", formatting.euros)
register.filter("count", formatting.count)
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


# The error summary (RGAA 11.10, 11.11) ------------------------------------------------

# Where a referral's section errors (cases.forms.ReferralForms.section_errors) are shown.
SECTION_ANCHORS = {"claims": "creances", "target": "cible", "pieces": "pieces"}


def _error_items(thing, number: str = ""):
    """(anchor, label, message) of each error of a form, a formset, a referral's forms or a
    list of them; anchor is the field's id (or a section's), None for a form's own
    errors."""
    if thing is None:
        return
    if isinstance(thing, list | tuple):
        for each in thing:
            yield from _error_items(each)
    elif hasattr(thing, "section_errors"):  # cases.forms.ReferralForms
        yield from _error_items([thing.case_form, thing.debtor_form, *thing.formsets])
        for section, messages in thing.section_errors.items():
            for message in messages:
                yield SECTION_ANCHORS.get(section), None, message
    elif hasattr(thing, "non_form_errors"):  # a formset
        for message in thing.non_form_errors():
            yield None, None, message
        for index, form in enumerate(thing.forms, start=1):
            yield from _error_items(form, f" ({index})")
    elif hasattr(thing, "errors") and hasattr(thing, "is_bound") and thing.is_bound:
        for message in thing.non_field_errors():
            yield None, None, message
        for field in thing:
            for message in field.errors:
                yield field.id_for_label or field.auto_id, f"{field.label}{number}", message


@register.inclusion_tag("_error_summary.html", takes_context=True)
def error_summary(context, *forms):
    """After a sent form is refused, at the top of the page: how many errors, and a link to
    each field to correct; the focus moves to it (pnsr/static/forms.js)."""
    request = context.get("request")
    if request is None or request.method != "POST":
        return {"items": []}
    return {
        "items": [
            dict(zip(("anchor", "label", "message"), item, strict=True))
            for item in _error_items(list(forms))
        ]
    }


@register.inclusion_tag("cases/_sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str, css: str = ""):
    """A column's header on the case list: a link that sorts by it (ascending, then
    descending at the second click), with `aria-sort` on the column sorted."""
    current = context.get("sort", "")
    sortable = key in context.get("sortable", ())
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    state = "ascending" if current == key else "descending" if current == f"-{key}" else ""
    return {
        "label": label,
        "css": css,
        "sortable": sortable,
        "href": "?" + query.urlencode(),
        "state": state,
    }

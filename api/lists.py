"""A case's long lists (its history, its pieces) a bounded page at a time: `limit` and
`offset` in the query, the same JSON list as before (a client reading a short list sees no
change), and the way on in the headers: `Link` (rel="next", rel="prev") and
`X-Total-Count`. The case itself names its first pieces and where the others are."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from .exceptions import Invalid

PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": settings.API_PAGE_SIZE_MAX},
        description=f"Nombre d'éléments, {settings.API_PAGE_SIZE_MAX} au plus (et par défaut).",
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0},
        description="Éléments à sauter (0 par défaut).",
    ),
    OpenApiParameter(
        "Link",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description='Les pages voisines : <adresse>; rel="next", <adresse>; rel="prev".',
    ),
    OpenApiParameter(
        "X-Total-Count",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=True,
        description="Le nombre total d'éléments de la liste.",
    ),
]


class _Bounded(LimitOffsetPagination):
    def __init__(self):
        self.default_limit = self.max_limit = settings.API_PAGE_SIZE_MAX

    # DRF would silently read a limit or an offset it cannot parse as the default.
    def get_limit(self, request):
        return self._whole(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request):
        return self._whole(request, self.offset_query_param, 0, None, 0)

    @staticmethod
    def _whole(request, name: str, low: int, high: int | None, default: int) -> int:
        value = request.query_params.get(name)
        if value is None:
            return default
        if value.isascii() and value.isdigit() and low <= int(value) <= (high or int(value)):
            return int(value)
        bounds = f"de {low} à {high}" if high else "positif ou nul"
        raise Invalid(
            {name: [f"Donnez un nombre entier {bounds}."]},
            "Paramètres invalides : corrigez les paramètres signalés.",
        )


def bounded(request, rows: QuerySet, serializer_class, **serializer_kwargs) -> Response:
    """One page of `rows` as a JSON list, with its Link and X-Total-Count headers."""
    pager = _Bounded()
    page = pager.paginate_queryset(rows, request)
    links = [
        f'<{url}>; rel="{rel}"'
        for url, rel in ((pager.get_next_link(), "next"), (pager.get_previous_link(), "prev"))
        if url
    ]
    headers = {"X-Total-Count": str(pager.count)}
    if links:
        headers["Link"] = ", ".join(links)
    return Response(serializer_class(page, many=True, **serializer_kwargs).data, headers=headers)


def first_of(rows: QuerySet, request, list_url: str) -> tuple[list, int, str | None]:
    """The first page of a nested list, its total, and the address of the rest (None when
    everything is there)."""
    limit = settings.API_PAGE_SIZE_MAX
    first = list(rows[: limit + 1])
    if len(first) <= limit:
        return first, len(first), None
    rest = request.build_absolute_uri(f"{list_url}?limit={limit}&offset={limit}")
    return first[:limit], rows.count(), rest

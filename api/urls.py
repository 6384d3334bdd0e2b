from django.contrib.auth.decorators import login_required
from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView

from . import debtors, views
from .docs import ApiDocs


class IdConverter:
    """A database id: digits, short enough for any database's integer (Django's `int`
    would pass an overflowing number to the query)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"
case = "v1/cases/<str:reference>/"
urlpatterns = [
    path("v1/cases/", views.CaseList.as_view(), name="cases"),
    path(case, views.CaseDetail.as_view(), name="case"),
    path(case + "pieces/", views.Pieces.as_view(), name="pieces"),
    path(case + "claims-import/", views.ClaimsImport.as_view(), name="claims_import"),
    path(case + "submit/", views.Submit.as_view(), name="submit"),
    path(case + "history/", views.History.as_view(), name="history"),
    path(case + "deadlines/", views.Deadlines.as_view(), name="deadlines"),
    path(case + "step/", views.CaseProcess.as_view(), name="step"),
    path(case + "opinion/", views.CaseOpinion.as_view(), name="opinion"),
    path(case + "comparables/", views.CaseComparables.as_view(), name="comparables"),
    path(case + "documents/", views.Documents.as_view(), name="documents"),
    path(
        case + "documents/<id:document_id>/download/",
        views.DocumentDownload.as_view(),
        name="document_download",
    ),
    path("v1/debtors/<id:debtor_id>/", debtors.DebtorDetail.as_view(), name="debtor"),
    path(
        "v1/debtors/<id:debtor_id>/co-obligors/",
        debtors.CoObligors.as_view(),
        name="co_obligors",
    ),
    re_path(r"^v1/", views.UnknownAddress.as_view()),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A page for people: the site's login, then the schema read with the session.
    path(
        "docs/",
        login_required(ApiDocs.as_view(url_name="api:schema")),
        name="docs",
    ),
]

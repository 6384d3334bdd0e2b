"""The debtor's record through the API (cases/debtors.py): what the debtor's page shows,
and the co-obligés the pôle links. Scoped and validated as the page is."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access, debtors
from cases.forms import CoObligorForm

from . import serializers as s
from .exceptions import Invalid
from .parsers import JSONParser

TAG = "Redevables"
DEBTOR = OpenApiParameter(
    "debtor_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="La fiche du redevable."
)
NOT_FOUND = OpenApiResponse(
    s.Error, description="Redevable introuvable, ou dont vous ne voyez aucun dossier."
)


def _detail(user, debtor) -> Response:
    return Response(s.DebtorDetail(debtors.debtor_view(user, debtor)).data)


class DebtorDetail(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Lire la fiche d'un redevable",
        description="Ses dossiers que vous voyez ; des autres, leur nombre seulement et qui "
        "contacter ; ses co-obligés, dans les deux sens.",
        parameters=[DEBTOR],
        responses={200: s.DebtorDetail, 404: NOT_FOUND},
    )
    def get(self, request, debtor_id: int):
        return _detail(request.user, access.get_debtor_for_user(request.user, debtor_id))


class CoObligors(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Relier un co-obligé",
        description="Réservé au pôle. L'autre redevable, désigné par son SIREN ou par son "
        "nom, son prénom et sa date de naissance, doit être celui d'un dossier transmis.",
        parameters=[DEBTOR],
        request=s.CoObligorInput,
        responses={
            201: s.DebtorDetail,
            400: OpenApiResponse(s.InvalidInput, description="Champs invalides."),
            403: OpenApiResponse(s.Error, description="Réservé au pôle."),
            404: NOT_FOUND,
        },
    )
    def post(self, request, debtor_id: int):
        debtor = access.get_debtor_for_user(request.user, debtor_id)
        if not access.may_link_co_obligors(request.user):
            raise PermissionDenied("Seul le pôle relie des co-obligés.")
        data = request.data if isinstance(request.data, dict) else {}
        form = CoObligorForm({key: value for key, value in data.items() if value is not None})
        if not form.is_valid():
            raise Invalid(_errors(form))
        try:
            debtors.link_from_form(request.user, debtor, form.cleaned_data)
        except ValidationError as error:
            raise Invalid({"non_field_errors": error.messages}) from None
        return Response(_detail(request.user, debtor).data, status=status.HTTP_201_CREATED)


def _errors(form) -> dict:
    errors = {name: list(messages) for name, messages in form.errors.items()}
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    return errors

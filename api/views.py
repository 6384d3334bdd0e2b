"""The REST API: cases (list, detail, draft referral, pieces, submission, history,
deadlines, current step) and their documents. Thin, like the pages: every case is fetched
through cases.access, every input validated by the pages' forms, every change made by the
pages' services."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access, integrity, selectors, services
from cases.enums import CaseStatus, Mode
from cases.forms import CaseFilterForm, PieceForm
from cases.models import Case
from cases.referral import referral_problems
from deadlines.selectors import may_see_deadlines
from documents.services import latest_versions
from documents.views import pdf_response
from workflows.selectors import open_steps, process_for

from . import serializers as s
from .exceptions import Invalid, Refused
from .parsers import JSONParser
from .referrals import ReferralData

TAG = "Dossiers"
REFERENCE = OpenApiParameter(
    "reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Référence du dossier, par ex. PNSR-2025-000042.",
)


def _error(description: str, serializer=s.Error) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


UNAUTHENTICATED = _error("Jeton d'accès absent, invalide ou révoqué.")
THROTTLED = _error("Trop de requêtes avec ce jeton (en-tête Retry-After).")
NOT_FOUND = _error("Dossier introuvable, ou que vous ne pouvez pas voir.")
FORBIDDEN_EDIT = _error(
    "Vous voyez ce dossier mais ne pouvez pas le modifier (il est transmis, ou pas à vous)."
)
COMMON = {401: UNAUTHENTICATED, 429: THROTTLED}
DEADLINES_REFUSED = "Les échéances sont réservées au pôle et au pilotage."


def _validated(serializer_class, data) -> dict:
    if not isinstance(data, dict):  # DRF would answer in English ("No data provided")
        raise Invalid({"non_field_errors": ["Le corps de la requête doit être un objet JSON."]})
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise Invalid(serializer.errors)
    return serializer.validated_data


def _case_detail(request, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    selectors.case_detail(case)
    editable = access.can_edit_referral(request.user, case)
    context = {
        "request": request,
        "editable": editable,
        "problems": referral_problems(case) if editable else {},
    }
    headers = {"Location": request.build_absolute_uri(reverse("api:case", args=[case.reference]))}
    return Response(
        s.CaseDetail(case, context=context).data,
        status=status_code,
        headers=headers if status_code == status.HTTP_201_CREATED else None,
    )


def _save_referral(request, case: Case | None) -> Case:
    """Validate the body with the referral page's forms and save it with its service."""
    body = _validated(s.ReferralInput, request.data)
    referral = ReferralData(request.user, body, case)
    forms = referral.forms()
    if not forms.is_valid() or not referral.valid:
        raise Invalid(
            referral.errors(forms),
            "Le dossier n'a pas été enregistré : corrigez les champs signalés.",
        )
    return services.save_referral(request.user, forms)


class CasePagination(PageNumberPagination):
    page_size = settings.CASES_PER_PAGE
    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE_MAX


class ApiCaseFilterForm(CaseFilterForm):
    """The case list's filters, with the direction and the action named by their codes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].to_field_name = "code"
        self.fields["action_type"].to_field_name = "code"


REFERRAL_EXAMPLE = OpenApiExample(
    "Saisie immobilière",
    request_only=True,
    value={
        "mode": "prise_en_charge",
        "action_type": "saisie_immobiliere",
        "poste_comptable": "002010",
        "facts": "Redevable défaillant depuis 2022 ; propriétaire d'un local commercial.",
        "request": "Engager la saisie immobilière du local.",
        "debtor": {"kind": "legal", "name": "SARL LES TANNEURS", "siren": "552 100 554"},
        "claims": [
            {
                "tax": "TVA",
                "period": "2023",
                "assessment_date": "2024-03-15",
                "principal": "100000.00",
                "penalties": "10000.00",
                "remaining": "110000.00",
            }
        ],
        "properties": [
            {
                "address": "12 rue des Tanneurs",
                "postal_code": "02000",
                "commune": "Laon",
                "departement": "02",
                "cadastral_section": "AB",
                "cadastral_number": "142",
            }
        ],
    },
)

FILTERS = [
    OpenApiParameter("q", str, description="Référence, nom du redevable ou début de SIREN."),
    OpenApiParameter("status", str, enum=CaseStatus.values, description="Statut."),
    OpenApiParameter("direction", str, description="Code de la direction, par ex. « DDFIP 02 »."),
    OpenApiParameter("action_type", str, description="Code de l'action envisagée."),
    OpenApiParameter("mode", str, enum=Mode.values, description="Demande."),
    OpenApiParameter("unread", bool, description="Seulement les dossiers aux messages non lus."),
]


class CaseList(generics.ListAPIView):
    pagination_class = CasePagination
    serializer_class = s.CaseListItem
    parser_classes = [JSONParser]

    def get_queryset(self):
        form = ApiCaseFilterForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise Invalid(form.errors, "Filtres invalides : corrigez les paramètres signalés.")
        return selectors.case_list(self.request.user, form.cleaned_data)

    @extend_schema(
        tags=[TAG],
        summary="Lister les dossiers",
        description="Les dossiers que vous pouvez voir, du plus récent au plus ancien, "
        "filtrés comme la liste du site. 25 par page par défaut, 100 au plus (page_size).",
        parameters=FILTERS,
        responses={
            200: s.CaseListItem(many=True),
            400: _error("Filtre invalide.", s.InvalidInput),
            404: _error("Page inexistante."),
            **COMMON,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Créer un brouillon de saisine",
        description="Crée un brouillon avec son redevable, ses créances et sa cible, validé "
        "comme la page de saisine (tout peut rester vide dans un brouillon ; la "
        "complétude est vérifiée à la transmission). Réservé aux agents des directions et "
        "des postes comptables.",
        request=s.ReferralInput,
        examples=[REFERRAL_EXAMPLE],
        responses={
            201: s.CaseDetail,
            400: _error("Champs invalides, par champ.", s.InvalidInput),
            403: _error("Seuls les directions et postes comptables saisissent le pôle."),
            **COMMON,
        },
    )
    def post(self, request):
        if not access.can_create_referral(request.user):
            raise PermissionDenied("Seuls les directions et postes comptables saisissent le pôle.")
        case = _save_referral(request, None)
        return _case_detail(request, case, status_code=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Lire un dossier",
        responses={200: s.CaseDetail, 404: NOT_FOUND, **COMMON},
        parameters=[REFERENCE],
    )
    def get(self, request, reference: str):
        return _case_detail(request, access.get_case_for_user(request.user, reference))

    @extend_schema(
        tags=[TAG],
        summary="Modifier un brouillon",
        description="Modifie un brouillon (ou un dossier renvoyé pour complément) : seuls les "
        "champs et sections présents dans la requête changent.",
        request=s.ReferralInput,
        parameters=[REFERENCE],
        responses={
            200: s.CaseDetail,
            400: _error("Champs invalides, par champ.", s.InvalidInput),
            403: FORBIDDEN_EDIT,
            404: NOT_FOUND,
            **COMMON,
        },
    )
    def patch(self, request, reference: str):
        case = access.get_editable_case_for_user(request.user, reference)
        return _case_detail(request, _save_referral(request, case))


class Pieces(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="Lister les pièces",
        parameters=[REFERENCE],
        responses={200: s.PieceOutput(many=True), 404: NOT_FOUND, **COMMON},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        pieces = case.pieces.order_by("uploaded_at", "pk")
        return Response(s.PieceOutput(pieces, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Joindre une pièce",
        description="Envoi multipart/form-data : `kind` (type de pièce) et `file`. Le fichier "
        "est contrôlé comme sur le site (taille, format réel, empreinte).",
        parameters=[REFERENCE],
        request={"multipart/form-data": s.PieceInput},
        responses={
            201: s.PieceOutput,
            400: _error("Type ou fichier refusé.", s.InvalidInput),
            403: FORBIDDEN_EDIT,
            404: NOT_FOUND,
            **COMMON,
        },
    )
    def post(self, request, reference: str):
        case = access.get_editable_case_for_user(request.user, reference)
        if len(request.FILES.getlist("file")) > 1:
            raise Invalid({"file": ["Une seule pièce par envoi."]})
        form = PieceForm(request.data, request.FILES)
        if not form.is_valid():
            raise Invalid(dict(form.errors), "La pièce n'a pas été ajoutée : corrigez la requête.")
        upload = form.cleaned_data["file"]
        piece = services.add_piece(
            request.user, case, form.cleaned_data["kind"], upload, form.checked
        )
        return Response(s.PieceOutput(piece).data, status=status.HTTP_201_CREATED)


class Submit(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Transmettre au pôle",
        description="Transmet le brouillon (ou retransmet le dossier complété). Refusé tant "
        "qu'il manque quelque chose (400, avec la liste) ; si le redevable a déjà un "
        "dossier ouvert, 409 jusqu'à ce que `confirm_duplicate` soit vrai.",
        parameters=[REFERENCE],
        request=s.SubmitInput,
        responses={
            200: s.CaseDetail,
            400: _error("Dossier incomplet.", s.IncompleteReferral),
            403: FORBIDDEN_EDIT,
            404: NOT_FOUND,
            409: _error("Doublon possible à confirmer.", s.DuplicatesToConfirm),
            **COMMON,
        },
    )
    def post(self, request, reference: str):
        case = access.get_editable_case_for_user(request.user, reference)
        body = _validated(s.SubmitInput, request.data)
        try:
            services.submit_referral(
                request.user, case, confirm_duplicate=body["confirm_duplicate"]
            )
        except services.ReferralIncomplete as incomplete:
            raise Refused(
                "Le dossier n'a pas été transmis : complétez les éléments signalés.",
                status_code=status.HTTP_400_BAD_REQUEST,
                problems=incomplete.problems,
            ) from None
        except services.DuplicateNotConfirmed as duplicate:
            raise Refused(
                "Ce redevable a déjà un dossier ouvert. Vérifiez-le, puis confirmez la "
                "transmission (confirm_duplicate) si elle reste justifiée.",
                duplicates=[
                    {
                        "reference": other.reference,
                        "direction": str(other.direction),
                        "status": other.get_status_display(),
                    }
                    for other in duplicate.duplicates
                ],
            ) from None
        case.refresh_from_db()
        return _case_detail(request, case)


class History(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Historique du dossier",
        description="Tout ce qui a été fait sur le dossier, du plus ancien au plus récent.",
        parameters=[REFERENCE],
        responses={200: s.EventOutput(many=True), 404: NOT_FOUND, **COMMON},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        events = case.events.order_by("at", "pk")
        return Response(s.EventOutput(events, many=True).data)


class Deadlines(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Échéances du dossier",
        description="Réservé au pôle et au pilotage, comme la page des échéances.",
        parameters=[REFERENCE],
        responses={
            200: s.DeadlineOutput(many=True),
            403: _error(DEADLINES_REFUSED),
            404: NOT_FOUND,
            **COMMON,
        },
    )
    def get(self, request, reference: str):
        if not may_see_deadlines(request.user):
            raise PermissionDenied(DEADLINES_REFUSED)
        case = access.get_case_for_user(request.user, reference)
        deadlines = case.deadlines.order_by("status", "due_date", "pk")
        return Response(s.DeadlineOutput(deadlines, many=True).data)


class CaseProcess(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Étape en cours",
        description="Le circuit du dossier au pôle : ses étapes ouvertes et qui les détient.",
        parameters=[REFERENCE],
        responses={200: s.ProcessOutput, 404: NOT_FOUND, **COMMON},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        process = process_for(case)
        steps = open_steps(request.user, case, process) if process else []
        data = {
            "status": process.status if process else None,
            "started": process.created if process else None,
            "finished": process.finished if process else None,
            "open_steps": [
                {
                    "task": item["task"].pk,
                    "name": item["task"].flow_task.name,
                    "title": str(item["task"].flow_task.task_title),
                    "who": item["step"].who,
                    "holder": str(item["task"].owner) if item["task"].owner else None,
                    "since": item["task"].created,
                    "can_act": item["can_act"],
                    "can_take": item["can_take"],
                }
                for item in steps
            ],
        }
        return Response(s.ProcessOutput(data).data)


class Documents(APIView):
    @extend_schema(
        tags=["Documents"],
        summary="Documents du dossier",
        description="La dernière version de chaque document produit par le pôle, avec son "
        "état ; `download_url` quand elle est prête.",
        parameters=[REFERENCE],
        responses={200: s.DocumentOutput(many=True), 404: NOT_FOUND, **COMMON},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        documents = latest_versions(case) if case.status != CaseStatus.DRAFT else []
        context = {"request": request, "reference": case.reference}
        return Response(s.DocumentOutput(documents, many=True, context=context).data)


class DocumentDownload(APIView):
    def perform_content_negotiation(self, request, force=False):
        # The PDF is a file response whatever the Accept header; errors are JSON.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        tags=["Documents"],
        summary="Télécharger un document",
        parameters=[
            REFERENCE,
            OpenApiParameter("document_id", int, OpenApiParameter.PATH, description="Version."),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Le PDF."),
            404: _error("Dossier ou document introuvable, ou document pas encore prêt."),
            500: _error("Le fichier a été modifié depuis sa production : il n'est pas servi."),
            **COMMON,
        },
    )
    def get(self, request, reference: str, document_id: int):
        case = access.get_case_for_user(request.user, reference)
        document = case.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404("Document introuvable.")
        try:
            return pdf_response(document)
        except integrity.TamperedFile as error:
            return Response({"detail": str(error)}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


@extend_schema(exclude=True)
class UnknownAddress(APIView):
    """Any other address under /api/v1/: a JSON 404 rather than the site's login page."""

    permission_classes = []
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        raise Http404(
            "Adresse inconnue dans l'API (les adresses se terminent par « / ») : "
            "voir la documentation, /api/docs/."
        )

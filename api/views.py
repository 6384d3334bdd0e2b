"""The REST API: cases (list, detail, draft referral, pieces, submission, history,
deadlines, current step) and their documents. Thin, like the pages: every case is fetched
through cases.access, every input validated by the pages' forms, every change made by the
pages' services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access, claims_import, integrity, journal, listing, selectors, services
from cases.comparables import comparables
from cases.enums import AccessKind, CaseStatus, Mode
from cases.forms import CaseFilterForm, PieceForm
from cases.models import Case, ClaimImport
from cases.pagination import IdsFirstPaginator
from cases.referral import referral_problems
from deadlines.selectors import may_see_deadlines
from documents.services import latest_versions, may_see
from documents.views import pdf_response
from workflows.selectors import open_steps, process_for

from . import concurrency, idempotency, lists
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


NOT_FOUND = _error("Dossier introuvable, ou que vous ne pouvez pas voir.")
FORBIDDEN_EDIT = _error(
    "Vous voyez ce dossier mais ne pouvez pas le modifier (il est transmis, ou pas à vous)."
)
IDEMPOTENCY_REUSED = _error("Clé Idempotency-Key déjà employée pour une autre requête.")
DEADLINES_REFUSED = "Les échéances sont réservées au pôle et au pilotage."
NO_OPINION = "Dossier introuvable, ou sans avis que vous puissiez lire."
COMPARABLES_REFUSED = (
    "Réservé au pôle et à l'expert du dossier ; la direction lit les chiffres retenus avec "
    "l'avis validé."
)


def _validated(serializer_class, data) -> dict:
    if not isinstance(data, dict):  # DRF would answer in English ("No data provided")
        raise Invalid({"non_field_errors": ["Le corps de la requête doit être un objet JSON."]})
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise Invalid(_rows_as_lists(dict(serializer.errors), data))
    return serializer.validated_data


def _rows_as_lists(errors: dict, data: dict) -> dict:
    """DRF keys a list's errors by row index; the forms' errors (ReferralData.errors) are
    a list with one entry per request row: the API answers in that one shape."""
    for key, value in errors.items():
        rows = data.get(key)
        if (
            isinstance(rows, list)
            and isinstance(value, dict)
            and all(map(str.isdigit, map(str, value)))
        ):
            errors[key] = [value.get(index, {}) for index in range(len(rows))]
    return errors


def _case_detail(request, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    selectors.case_detail(case)
    editable = access.can_edit_referral(request.user, case)
    pieces, count, rest = lists.first_of(
        selectors.case_pieces(case), request, reverse("api:pieces", args=[case.reference])
    )
    context = {
        "request": request,
        "editable": editable,
        "problems": referral_problems(case) if editable else {},
        "pieces": pieces,
        "pieces_count": count,
        "pieces_next": rest,
    }
    headers = {"ETag": concurrency.etag(case)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = request.build_absolute_uri(reverse("api:case", args=[case.reference]))
    return Response(s.CaseDetail(case, context=context).data, status=status_code, headers=headers)


def _save_referral(request, case: Case | None) -> Case:
    """Validate the body with the referral page's forms and save it with its service."""
    body = _validated(s.ReferralInput, request.data)  # an unreadable body: 400 first
    expected = concurrency.expected_version(request) if case is not None else None
    referral = ReferralData(request.user, body, case)
    forms = referral.forms()
    if not forms.is_valid() or not referral.valid:
        raise Invalid(
            referral.errors(forms),
            "Le dossier n'a pas été enregistré : corrigez les champs signalés.",
        )
    try:
        return services.save_referral(request.user, forms, expected_version=expected)
    except services.StaleReferral as stale:
        raise concurrency.precondition_failed(stale) from None


FILTERS_INVALID = "Filtres invalides : corrigez les paramètres signalés."
LIST_INVALID = _error("limit ou offset invalide.", s.InvalidInput)


class CasePagination(PageNumberPagination):
    django_paginator_class = IdsFirstPaginator  # the page's ids first, then its rows
    page_size = settings.CASES_PER_PAGE
    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE_MAX

    def get_page_size(self, request):
        # DRF would silently use the default size for a size it cannot read.
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise Invalid(
                {"page_size": [f"Donnez un nombre entier de 1 à {self.max_page_size}."]},
                FILTERS_INVALID,
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class ApiCaseFilterForm(CaseFilterForm):
    """The case list's filters, with the direction and the action named by their codes,
    and `unread` a JSON boolean (the page's checkbox takes any text for « yes »)."""

    unread = forms.TypedChoiceField(
        required=False,
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        empty_value=False,
        error_messages={"invalid_choice": "Indiquez true ou false."},
    )

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
                "nature": "impot_amr",
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

# A filter given empty is no filter, as on the case list page.
FILTERS = [
    OpenApiParameter(
        "q",
        {
            "type": "string",
            "maxLength": CaseFilterForm.base_fields["q"].max_length,
            "pattern": s.NO_NUL,
        },
        description="Référence, nom du redevable ou début de SIREN.",
    ),
    OpenApiParameter("status", str, enum=["", *CaseStatus.values], description="Statut."),
    OpenApiParameter("direction", str, description="Code de la direction, par ex. « DDFIP 02 »."),
    OpenApiParameter("action_type", str, description="Code de l'action envisagée."),
    OpenApiParameter("mode", str, enum=["", *Mode.values], description="Demande."),
    OpenApiParameter("unread", bool, description="Seulement les dossiers aux messages non lus."),
    OpenApiParameter(
        "deadline_within",
        int,
        enum=[7, 15, 30, 60, 90],
        description="Dossiers dont la prochaine échéance ouverte tombe sous ce nombre de jours.",
    ),
    OpenApiParameter(
        "prescription_within",
        int,
        enum=[90, 183, 365],
        description="Dossiers dont la première prescription tombe sous ce nombre de jours.",
    ),
    *(
        OpenApiParameter(
            name,
            {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"},
            description=f"Reste à recouvrer {word}, en euros (par ex. 15000.50).",
        )
        for name, word in (("amount_min", "minimal"), ("amount_max", "maximal"))
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=["", *(key for key, _ in listing.sort_choices(True))],
        description="Tri par une colonne ; précédée de « - », dans l'ordre décroissant. "
        "Par défaut, les plus récents d'abord.",
    ),
]


class CaseList(generics.ListAPIView):
    pagination_class = CasePagination
    serializer_class = s.CaseListItem
    parser_classes = [JSONParser]

    def get_queryset(self):
        form = ApiCaseFilterForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise Invalid(form.errors, FILTERS_INVALID)
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
            422: IDEMPOTENCY_REUSED,
        },
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
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
        responses={200: s.CaseDetail, 404: NOT_FOUND},
        parameters=[REFERENCE, concurrency.ETAG],
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Dossier")
        return _case_detail(request, case)

    @extend_schema(
        tags=[TAG],
        summary="Modifier un brouillon",
        description="Modifie un brouillon (ou un dossier renvoyé pour complément) : seuls les "
        "champs et sections présents dans la requête changent. Avec If-Match (l'ETag de "
        "la dernière lecture), refusée (412) si le dossier a été modifié depuis.",
        request=s.ReferralInput,
        parameters=[REFERENCE, concurrency.IF_MATCH, concurrency.ETAG],
        responses={
            200: s.CaseDetail,
            400: _error("Champs invalides, par champ.", s.InvalidInput),
            403: FORBIDDEN_EDIT,
            404: NOT_FOUND,
            412: _error(
                "Le dossier a été modifié depuis la version d'If-Match (current_etag : la "
                "version courante)."
            ),
        },
    )
    def patch(self, request, reference: str):
        case = access.get_editable_case_for_user(request.user, reference)
        return _case_detail(request, _save_referral(request, case))


def _known_keys_and_one_file(request, serializer_class, one_file: str) -> None:
    """A multipart upload's refusals before its form: a field the operation does not know,
    more than one file."""
    if unknown := s.unknown_keys([*request.data, *request.FILES], serializer_class().fields):
        raise Invalid(unknown)
    if len(request.FILES.getlist("file")) > 1:
        raise Invalid({"file": [one_file]})


class Pieces(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="Lister les pièces",
        description="Les pièces du plus ancien dépôt au plus récent, "
        f"{settings.API_PAGE_SIZE_MAX} au plus par page (limit, offset ; la suite dans "
        "l'en-tête Link).",
        parameters=[REFERENCE, *lists.PARAMETERS],
        responses={200: s.PieceOutput(many=True), 400: LIST_INVALID, 404: NOT_FOUND},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Pièces")
        return lists.bounded(request, selectors.case_pieces(case), s.PieceOutput)

    @extend_schema(
        tags=[TAG],
        summary="Joindre une pièce",
        description="Envoi multipart/form-data : `kind` (type de pièce), `file`, et "
        "facultativement `dated_on` (date de la pièce, AAAA-MM-JJ) et `description` (telle "
        "qu'au bordereau). La pièce reçoit le numéro suivant du dossier. Le fichier "
        "est contrôlé comme sur le site (taille, format réel, empreinte).",
        parameters=[REFERENCE, idempotency.PARAMETER],
        request={"multipart/form-data": s.PieceInput},
        responses={
            201: s.PieceOutput,
            400: _error("Type ou fichier refusé.", s.InvalidInput),
            403: FORBIDDEN_EDIT,
            404: NOT_FOUND,
            422: IDEMPOTENCY_REUSED,
        },
    )
    @idempotency.idempotent
    def post(self, request, reference: str):
        case = access.get_case_to_add_a_piece(request.user, reference)
        _known_keys_and_one_file(request, s.PieceInput, "Une seule pièce par envoi.")
        form = PieceForm(request.data, request.FILES)
        if not form.is_valid():
            raise Invalid(dict(form.errors), "La pièce n'a pas été ajoutée : corrigez la requête.")
        piece = services.add_piece_row(request.user, case, form.piece_row())
        return Response(s.PieceOutput(piece).data, status=status.HTTP_201_CREATED)


class ClaimsImport(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="Importer des créances",
        description="Envoi multipart/form-data : `file`, l'extrait de l'application de "
        "recouvrement (CSV ou XLSX, une ligne par créance, au format du README), et `confirm`. "
        "Chaque ligne est contrôlée comme sur le site ; une ligne refusée refuse le fichier "
        "(400, chaque erreur avec sa ligne et sa colonne). Sans `confirm`, rien n'est "
        "enregistré : la réponse donne le nombre de créances et les doublons présumés (même "
        "référence d'origine, ou même impôt, période, mise en recouvrement et montant qu'une "
        "créance du dossier). Avec `confirm=true`, toutes les créances sont importées (201).",
        parameters=[REFERENCE, idempotency.PARAMETER],
        request={"multipart/form-data": s.ClaimsImportInput},
        responses={
            200: s.ClaimsImportOutput,
            201: s.ClaimsImportOutput,
            400: _error("Fichier refusé : rien n'est importé.", s.InvalidInput),
            403: FORBIDDEN_EDIT,
            404: NOT_FOUND,
            422: IDEMPOTENCY_REUSED,
        },
    )
    @idempotency.idempotent
    def post(self, request, reference: str):
        case = access.get_editable_case_for_user(request.user, reference)
        _known_keys_and_one_file(request, s.ClaimsImportInput, "Un seul fichier par envoi.")
        confirm = _validated(s.ClaimsImportInput, request.data.dict())["confirm"]
        upload = request.FILES.get("file")
        try:
            data = claims_import.read(upload)
            checked = claims_import.check(case, upload.name, data)
            if confirm:
                with transaction.atomic():
                    created = claims_import.import_claims(
                        request.user, case, checked, file_name=upload.name
                    )
                    claims_import.keep(
                        request.user,
                        case,
                        upload.name,
                        data,
                        status=ClaimImport.Status.IMPORTED,
                        confirmed_by=request.user,
                        lines=len(created),
                        imported_at=timezone.now(),
                        result={"imported": len(created)},
                    )
        except claims_import.ImportRefused as refused:
            errors = list(refused.errors)
            if refused.more:
                errors.append(f"Et {refused.more} autre(s) erreur(s).")
            raise Invalid(
                {"file": errors}, "Le fichier n'a pas été importé : corrigez-le."
            ) from None
        body = {
            "imported": confirm,
            "lines": len(checked.claims),
            "total_remaining": checked.total_remaining,
            "duplicates": [
                {
                    "line": line,
                    "source_reference": new.source_reference,
                    "like": old.source_reference or str(old),
                }
                for line, new, old in checked.duplicates
            ],
        }
        code = status.HTTP_201_CREATED if confirm else status.HTTP_200_OK
        return Response(s.ClaimsImportOutput(body).data, status=code)


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
            warning = selectors.duplicate_warning(request.user, duplicate.duplicates)
            detail = "Ce redevable a déjà un dossier ouvert."
            if warning.elsewhere:
                detail += (
                    " Un dossier ouvert au pôle concerne déjà ce redevable : contactez "
                    f"{warning.contact} pour vérifier qu'il ne s'agit pas de la même demande."
                )
            raise Refused(
                detail + " Confirmez ensuite la transmission (confirm_duplicate) si elle "
                "reste justifiée.",
                duplicates=[
                    {
                        "reference": other.reference,
                        "direction": str(other.direction),
                        "status": other.get_status_display(),
                    }
                    for other in warning.named
                ],
                other_direction=warning.elsewhere,
                contact=warning.contact,
            ) from None
        case.refresh_from_db()
        return _case_detail(request, case)


class History(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Historique du dossier",
        description="Tout ce qui a été fait sur le dossier, du plus ancien au plus récent, "
        f"{settings.API_PAGE_SIZE_MAX} entrées au plus par page (limit, offset ; la suite "
        "dans l'en-tête Link).",
        parameters=[REFERENCE, *lists.PARAMETERS],
        responses={200: s.EventOutput(many=True), 400: LIST_INVALID, 404: NOT_FOUND},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Historique")
        events = access.visible_history(request.user, case, case.events.order_by("at", "pk"))
        return lists.bounded(request, events, s.EventOutput)


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
        },
    )
    def get(self, request, reference: str):
        if not may_see_deadlines(request.user):
            raise PermissionDenied(DEADLINES_REFUSED)
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Échéances")
        deadlines = case.deadlines.order_by("status", "due_date", "pk")
        return Response(s.DeadlineOutput(deadlines, many=True).data)


class CaseProcess(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Étape en cours",
        description="Le circuit du dossier au pôle : ses étapes ouvertes et qui les détient.",
        parameters=[REFERENCE],
        responses={200: s.ProcessOutput, 404: NOT_FOUND},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Étape en cours")
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


class CaseOpinion(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Avis d'opportunité",
        description="L'avis que vous pouvez lire : au pôle (et pour l'expert du dossier) la "
        "dernière version, hors du pôle la version validée. Avec sa grille des risques et "
        "les chiffres des dossiers comparables figés à sa soumission, ceux que l'avis "
        "imprime. Les avis se rédigent et se valident sur le site.",
        parameters=[REFERENCE],
        responses={200: s.OpinionOutput, 404: _error(NO_OPINION)},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Avis d'opportunité")
        opinion = access.visible_opinion(request.user, case)
        if opinion is None:
            raise Http404(NO_OPINION)
        return Response(s.OpinionOutput(opinion).data)


class CaseComparables(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Dossiers comparables",
        description="Ce que dit l'historique du pôle pour l'action et la situation du "
        "dossier, calculé à l'instant (l'avis en fige un relevé à sa soumission) : nombre de "
        "dossiers comparables, leurs issues, délai médian jusqu'à la décision de première "
        "instance, taux de recouvrement et recouvrement net médian ; en dessous de "
        "`threshold` dossiers, `enough` est faux et aucun chiffre n'est donné. "
        + COMPARABLES_REFUSED,
        parameters=[REFERENCE],
        responses={
            200: s.ComparablesOutput,
            403: _error(COMPARABLES_REFUSED),
            404: NOT_FOUND,
        },
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        if not access.may_see_comparables(request.user, case):
            raise PermissionDenied(COMPARABLES_REFUSED)
        journal.record(request, AccessKind.API_READ, case=case, target="Dossiers comparables")
        return Response(s.ComparablesOutput(comparables(case)).data)


class Documents(APIView):
    @extend_schema(
        tags=["Documents"],
        summary="Documents du dossier",
        description="La dernière version de chaque document produit par le pôle, avec son "
        "état ; `download_url` quand elle est prête.",
        parameters=[REFERENCE],
        responses={200: s.DocumentOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, reference: str):
        case = access.get_case_for_user(request.user, reference)
        journal.record(request, AccessKind.API_READ, case=case, target="Documents")
        documents = latest_versions(case, request.user) if case.status != CaseStatus.DRAFT else []
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
        },
    )
    def get(self, request, reference: str, document_id: int):
        case = access.get_case_for_user(request.user, reference)
        document = case.documents.filter(pk=document_id).first()
        if document is None or not may_see(request.user, case, document):
            raise Http404("Document introuvable.")
        try:
            response = pdf_response(document)
        except integrity.TamperedFile as error:
            return Response({"detail": str(error)}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        journal.record(request, AccessKind.DOCUMENT_DOWNLOADED, case=case, target=document)
        return response


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

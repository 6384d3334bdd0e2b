"""The case domain: who refers, who is pursued, for what, and what happened to the case."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from . import chain, events, risk_grid
from .decisions import MONEY_OUTCOMES
from .enums import (
    CLOSED_STATUSES,
    CONDEMNING_OUTCOMES,
    FINE_NATURES,
    TRESOR_SECURITIES,
    AccessKind,
    AccountChangeKind,
    ActOutcome,
    ActParty,
    AppealParty,
    CaseStatus,
    ClaimNature,
    ClosingCause,
    ClosureReason,
    CollectiveKind,
    CoObligorKind,
    CostKind,
    DebtorActivity,
    DebtorKind,
    DecisionOutcome,
    DirectionKind,
    DistributionKind,
    DistributionStatus,
    EventKind,
    ExperimentRole,
    HearingKind,
    HearingStatus,
    HolderDeclaration,
    ImputationRule,
    Instance,
    LabelColour,
    LegalForm,
    LighterMeasure,
    MaritalSituation,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    PartyRole,
    PieceKind,
    PosteKind,
    PrescriptionState,
    PropertyOccupation,
    Residence,
    ReturnGround,
    RiskDimension,
    RiskLevel,
    Role,
    SaleKind,
    SecurityKind,
    SourceApplication,
    StartingActKind,
    TargetKind,
    TaxKind,
)
from .errors import IllegalTransition
from .formatting import actor_label, euros
from .validators import (
    ADDRESS_MAX_LENGTH,
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    add_months,
    fold_name,
    validate_act_date,
    validate_birth_date,
    validate_claim_date,
    validate_departement,
    validate_not_future,
    validate_piece_date,
    validate_siren,
)

ALSACE_MOSELLE = frozenset({"57", "67", "68"})
# Alsace-Moselle: the pieces a property's local law puts instead of the general ones (no
# service de la publicité foncière there: the livre foncier, loi du 1er juin 1924 art. 141
# al. 2, 3°, « une copie du livre foncier concernant les immeubles »).
LOCAL_LAW_PIECES = {PieceKind.FICHE_IMMEUBLE: PieceKind.EXTRAIT_LIVRE_FONCIER}
MONEY = {"max_digits": 14, "decimal_places": 2}
non_negative = MinValueValidator(Decimal("0"), "Le montant ne peut pas être négatif.")


def prescription_horizon() -> datetime.date:
    """Cases whose earliest prescription falls before this date are flagged (6 months)."""
    return add_months(timezone.localdate(), 6)


class Direction(models.Model):
    code = models.CharField("code", max_length=20, unique=True, help_text="Ex. : DDFIP 02")
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=5, choices=DirectionKind.choices)
    departement = models.CharField("département", max_length=3)
    experiment_role = models.CharField(
        "rôle dans l'expérimentation",
        max_length=10,
        choices=ExperimentRole.choices,
        default=ExperimentRole.NONE,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "direction"

    def __str__(self) -> str:
        return self.code


class PosteComptable(models.Model):
    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, related_name="postes", verbose_name="direction"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10, choices=PosteKind.choices)
    codique = models.CharField("codique", max_length=7, unique=True)
    mailbox = models.EmailField("boîte fonctionnelle")
    # An inactive poste (closed, merged) keeps its cases and its agents' history, but is
    # offered for no new referral and no new account (`cases.access`); its direction's
    # administrator deactivates it on /comptes/postes/ (`cases.postes`).
    active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["direction__code", "name"]
        verbose_name = "poste comptable"
        verbose_name_plural = "postes comptables"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="direction",
        help_text="Direction de rattachement (pour le pilotage : vide = national).",
    )
    poste_comptable = models.ForeignKey(
        PosteComptable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name="poste comptable",
    )
    # The ProConnect identity (its `sub`) bound to the account at its first ProConnect
    # sign-in, matched by email then (pnsr/proconnect.py); it never gives a role.
    proconnect_sub = models.CharField(
        "identifiant ProConnect",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                name="user_poste_agent_has_poste",
                violation_error_message=(
                    "Un agent de poste comptable doit être rattaché à un poste comptable."
                ),
                condition=~Q(role=Role.POSTE_AGENT) | Q(poste_comptable__isnull=False),
            ),
            models.CheckConstraint(
                name="user_direction_roles_have_direction",
                violation_error_message="Ce rôle exige une direction de rattachement.",
                condition=~Q(
                    role__in=[
                        Role.DIRECTION_AGENT,
                        Role.EXPERT,
                        Role.POSTE_AGENT,
                        Role.DIRECTION_ADMIN,
                    ]
                )
                | Q(direction__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_pole(self) -> bool:
        return self.role in (Role.JURIST, Role.HEAD)


class ActionType(models.Model):
    """The catalogue of heavy actions: data, not code branches."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=200)
    legal_basis = models.CharField("fondement", max_length=200)
    court = models.CharField("juridiction", max_length=200)
    starting_act = models.CharField("acte introductif", max_length=300)
    target_kind = models.CharField(
        "cible", max_length=20, choices=TargetKind.choices, default=TargetKind.NONE
    )
    required_pieces = models.JSONField(
        "pièces obligatoires", default=list, blank=True, help_text="Codes de types de pièce."
    )
    requires_legal_person = models.BooleanField(
        "débiteur personne morale obligatoire", default=False
    )
    requires_unprescribed_debt = models.BooleanField(
        "créance non prescrite obligatoire", default=False
    )
    alsace_moselle_local_law = models.BooleanField(
        "droit local en Alsace-Moselle",
        default=False,
        help_text="En Moselle, Bas-Rhin et Haut-Rhin, l'action suit la loi du 1er juin 1924.",
    )
    appeal_days = models.PositiveSmallIntegerField(
        "délai d'appel (jours)",
        null=True,
        blank=True,
        help_text="Vide : un mois (CPC art. 538). Juge de l'exécution : 15 jours (CPCE "
        "art. R.121-20) ; procédures collectives : 10 jours (C. com. art. R.661-3).",
    )
    starting_act_party = models.CharField(
        "partie visée par l'acte introductif",
        max_length=20,
        choices=ActParty.choices,
        default=ActParty.DEBTOR,
        help_text="Seul un acte contre le débiteur ou un co-débiteur solidaire interrompt la "
        "prescription (C. civ. 2241, 2244, 2245).",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    # Issue 17 (« holder »): the pieces recommended at referral, and what the jurist
    # confirms at the starting act.
    recommended_pieces = models.JSONField(
        "pièces recommandées",
        default=list,
        blank=True,
        help_text="Groupes de codes de types de pièce : une pièce au moins de chaque groupe "
        "est recommandée (un avertissement, pas un refus).",
    )
    starting_act_checks = models.JSONField(
        "vérifications de l'acte introductif",
        default=list,
        blank=True,
        help_text="Codes des vérifications que le juriste confirme à l'acte introductif "
        "(publication foncière, CPC 1360…).",
    )

    class Meta:
        ordering = ["position", "label"]
        verbose_name = "type d'action"
        verbose_name_plural = "types d'action"

    def __str__(self) -> str:
        return self.label

    def required_piece_labels(self) -> list[str]:
        return [PieceKind(code).label for code in self.required_pieces]

    def pieces_required(self, *, local_law: bool = False) -> list[str]:
        """The pieces the action needs; under the local law of Alsace-Moselle the livre
        foncier's extract instead of the fiche d'immeuble (`LOCAL_LAW_PIECES`)."""
        if not local_law:
            return list(self.required_pieces)
        return [LOCAL_LAW_PIECES.get(code, code) for code in self.required_pieces]


class Debtor(models.Model):
    kind = models.CharField("nature", max_length=10, choices=DebtorKind.choices)
    name = models.CharField("raison sociale ou nom", max_length=200, blank=True)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    birth_date = models.DateField(
        "date de naissance",
        null=True,
        blank=True,
        validators=[validate_birth_date],
    )
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[validate_siren], db_index=True
    )
    address = models.TextField("adresse", max_length=ADDRESS_MAX_LENGTH, blank=True)
    residence = models.CharField(
        "résidence",
        max_length=10,
        choices=Residence.choices,
        default=Residence.METROPOLE,
        help_text="Pour les délais de distance (CPC 643-644) : outre-mer +1 mois, étranger "
        "+2 mois sur les délais d'appel et de comparution.",
    )
    marital_situation = models.CharField(
        "situation matrimoniale",
        max_length=10,
        choices=MaritalSituation.choices,
        blank=True,
        help_text="Personne physique : décide de la dénonciation du commandement au conjoint "
        "(CPCE R.321-1 al. 3).",
    )
    legal_form = models.CharField(
        "forme juridique",
        max_length=20,
        choices=LegalForm.choices,
        blank=True,
        help_text="Personne morale : dans une SNC, une société civile… les associés sont déjà "
        "tenus des dettes sociales (LPF L.267 ne vise pas le dirigeant qui en est associé).",
    )
    # The name folded (no accents, no case) for the duplicate check; set by save().
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    # The debtor as one entity (cases/debtors.py): a legal person by its SIREN, a natural
    # person by name, first name and birth date, once a referral naming it is sent to the
    # pôle; every case of that debtor then points to this one row. NULL on a draft's own
    # row (a referral being written edits its copy, never the shared one).
    identity_key = models.CharField(
        "identité", max_length=260, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = "redevable"
        indexes = [models.Index(fields=["name_key", "birth_date"], name="debtor_name_key_birth")]
        constraints = [
            models.CheckConstraint(
                name="debtor_siren_nine_chars",
                violation_error_message="Le SIREN doit comporter exactement 9 chiffres.",
                condition=Q(siren="") | Exact(Length("siren"), 9),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == DebtorKind.NATURAL and self.first_name:
            return f"{self.name.upper()} {self.first_name}"
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = fold_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("debtors:detail", args=[self.pk])


class DebtorMerge(models.Model):
    """The report of a debtor row merged into its entity (cases/debtors.py): by the
    migration that made the debtor one entity, or when a referral naming it is sent. The
    merged row's values are kept whole, so nothing it held is lost."""

    kept = models.ForeignKey(
        Debtor, on_delete=models.PROTECT, related_name="merges", verbose_name="fiche conservée"
    )
    merged_pk = models.PositiveIntegerField("fiche fusionnée (numéro)")
    values = models.JSONField("valeurs de la fiche fusionnée")
    changed = models.JSONField("champs repris", default=dict, blank=True)
    cases = models.JSONField("dossiers rattachés", default=list)
    at = models.DateTimeField("le", default=timezone.now)
    source = models.CharField("origine", max_length=20)

    class Meta:
        verbose_name = "fusion de redevables"
        verbose_name_plural = "fusions de redevables"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_pk} → {self.kept_id}"


class CoObligor(models.Model):
    """A person bound to the debtor's debts: `co_obligor` is `kind` of `debtor` (the
    spouse under CGI 1691 bis, a partner of an SCI or SNC, a manager under LPF L.267).
    One row, read from both sides: the company's page shows its manager, the manager's
    page the company."""

    debtor = models.ForeignKey(
        Debtor, on_delete=models.CASCADE, related_name="co_obligors", verbose_name="redevable"
    )
    co_obligor = models.ForeignKey(
        Debtor, on_delete=models.CASCADE, related_name="obligor_of", verbose_name="co-obligé"
    )
    kind = models.CharField("lien", max_length=10, choices=CoObligorKind.choices)
    basis = models.CharField("fondement ou précision", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ajouté par",
    )
    created_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "co-obligé"
        constraints = [
            models.UniqueConstraint(
                fields=["debtor", "co_obligor", "kind"],
                name="co_obligor_once",
                violation_error_message="Ce lien entre ces deux redevables existe déjà.",
            ),
            models.CheckConstraint(
                name="co_obligor_not_self",
                violation_error_message="Un redevable n'est pas son propre co-obligé.",
                condition=~Q(debtor=F("co_obligor")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.co_obligor} — {self.get_kind_display()} de {self.debtor}"


class CaseQuerySet(models.QuerySet):
    def open(self) -> "CaseQuerySet":
        return self.exclude(status__in=CLOSED_STATUSES)

    def with_amounts(self) -> "CaseQuerySet":
        """The amount at stake and the earliest prescription of the claims each case
        pursues (an L.267 action leaves its prescribed claims out: `Case.pursued_claims`).

        Each one a correlated subquery over the case's claims (their `case_id` index), not
        an aggregate over a join: a page of 25 sorted and limited by an index computes them
        for its 25 rows only, and counting the list needs no join at all (Django leaves an
        unused annotation out of `count()`). NULL when no claim is pursued, as a SUM."""
        claims = (
            Claim.objects.filter(pursued_claim(), case=models.OuterRef("pk"))
            .order_by()
            .values("case")
        )
        money = Claim._meta.get_field("remaining")
        return self.annotate(
            total_remaining=models.Subquery(
                claims.annotate(total=models.Sum("remaining")).values("total"),
                output_field=models.DecimalField(
                    max_digits=money.max_digits, decimal_places=money.decimal_places
                ),
            ),
            earliest_prescription=models.Subquery(
                claims.annotate(earliest=models.Min("prescription_date")).values("earliest"),
                output_field=models.DateField(),
            ),
        )


def pursued_claim(*, prefix: str = "", case_prefix: str = "case__") -> Q:
    """`Case.pursued_claims` in SQL: every claim, but those prescribed before today in a
    case whose action needs a debt not prescribed (LPF L.267). `prefix` leads to the
    claim's fields, `case_prefix` to its case's. Written without a negation, so that it
    can filter an aggregate over a case's claims."""
    action = f"{case_prefix}action_type"
    return (
        Q(**{f"{action}__isnull": True})
        | Q(**{f"{action}__requires_unprescribed_debt": False})
        | Q(**{f"{prefix}prescription_date__isnull": True})
        | Q(**{f"{prefix}prescription_date__gte": timezone.localdate()})
    )


class ReferenceCounter(models.Model):
    """Last number given per year, for PNSR-YYYY-NNNNNN references."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def next_reference(cls, year: int) -> str:
        with transaction.atomic():
            if not cls.objects.filter(year=year).update(last=F("last") + 1):
                try:
                    with transaction.atomic():
                        cls.objects.create(year=year, last=1)
                except IntegrityError:  # created meanwhile by a concurrent referral
                    cls.objects.filter(year=year).update(last=F("last") + 1)
            number = cls.objects.get(year=year).last
        return f"PNSR-{year}-{number:06d}"


def _guard_status_write(case: "Case") -> None:
    """Called by Case.save(): a status differing from the stored one must come from here."""
    written = case.__dict__.pop("_lifecycle_wrote_status", False)
    if case._state.adding:
        if case.status != CaseStatus.DRAFT:
            raise IllegalTransition("Un dossier est toujours créé à l'état de brouillon.")
        return
    if case.status != getattr(case, "_stored_status", case.status) and not written:
        raise IllegalTransition(
            "Le statut d'un dossier ne change que par une action de son cycle de vie."
        )


class Case(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, related_name="cases", verbose_name="direction"
    )
    poste_comptable = models.ForeignKey(
        PosteComptable,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="poste comptable",
        null=True,
        blank=True,
    )
    mode = models.CharField("demande", max_length=20, choices=Mode.choices, blank=True)
    action_type = models.ForeignKey(
        ActionType,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="action envisagée",
        null=True,
        blank=True,
    )
    # One debtor, many cases (cases/debtors.py: a submitted referral joins the debtor's
    # entity; a draft has its own row until then).
    debtor = models.ForeignKey(
        Debtor, on_delete=models.PROTECT, related_name="cases", verbose_name="redevable"
    )
    # Where the competent court sits, whose public holidays count (deadlines.calendar);
    # blank: the seized property's département, else the direction's.
    court_departement = models.CharField(
        "département du tribunal",
        max_length=3,
        blank=True,
        validators=[validate_departement],
        help_text="Département où siège la juridiction compétente : ses jours fériés "
        "comptent pour les échéances (CPC 642). À défaut, celui du bien saisi, sinon "
        "celui de la direction.",
    )
    facts = models.TextField(
        "exposé de la situation",
        max_length=LONG_TEXT_MAX_LENGTH,
        blank=True,
        help_text="Historique du recouvrement, diligences déjà faites, patrimoine connu.",
    )
    request = models.TextField(
        "objet précis de la demande",
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text="Ce que la direction attend du pôle.",
    )
    status = models.CharField(
        "statut",
        max_length=30,
        choices=CaseStatus.choices,
        default=CaseStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    closure_reason = models.CharField(
        "motif de clôture", max_length=30, choices=ClosureReason.choices, blank=True
    )
    assigned_jurist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jurist_cases",
        verbose_name="juriste",
    )
    assigned_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_cases",
        verbose_name="expert",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_cases",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    submitted_at = models.DateTimeField("transmis le", null=True, blank=True, editable=False)
    # The version of the referral's editable data, raised by each save that changes it
    # (services.save_referral, under the case's row lock): a page or an API client that
    # loaded an older version is refused instead of overwriting a save it has not seen.
    version = models.PositiveIntegerField("version de la saisine", default=1, editable=False)
    # The last number given to one of its pieces (Piece.number): a removed piece's number
    # is never given again, so that the bordereau already sent keeps meaning the same.
    last_piece_number = models.PositiveIntegerField(
        "dernier numéro de pièce", default=0, editable=False
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "dossier"
        indexes = [
            models.Index(fields=["direction", "status"], name="case_direction_status"),
            models.Index(fields=["submitted_at"], name="case_submitted_at"),  # dashboards
            # The case list, latest first (selectors.case_list: -created_at, -pk), read in
            # the index's order and stopped at its page, whatever the scope or filter: the
            # pôle's (status, included so that a deep page's ids need no table read), a
            # direction's, a poste's, one status.
            models.Index(fields=["created_at", "id"], name="case_list", include=["status"]),
            models.Index(
                fields=["direction", "created_at", "id"],
                name="case_list_direction",
                include=["status"],
            ),
            models.Index(
                fields=["poste_comptable", "created_at", "id"],
                name="case_list_poste",
                include=["status"],
            ),
            models.Index(fields=["status", "created_at", "id"], name="case_list_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_status_valid",
                violation_error_message="Statut de dossier inconnu.",
                condition=Q(status__in=CaseStatus.values),
            ),
            models.CheckConstraint(
                name="case_closed_has_reason",
                violation_error_message="Un dossier clos doit avoir un motif de clôture.",
                condition=~Q(status=CaseStatus.CLOSED) | ~Q(closure_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # The status only changes through cases.lifecycle; save() refuses anything else.
    def save(self, *args, **kwargs) -> None:
        _guard_status_write(self)
        if not self.reference:
            self.reference = ReferenceCounter.next_reference(timezone.localdate().year)
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.reference])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._stored_status = self.status

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def is_alsace_moselle(self) -> bool:
        """A saisie immobilière of a property in 57, 67 or 68 follows the local law of
        1 June 1924 (livre foncier), not the CPCE calendar."""
        if self.action_type is None or not self.action_type.alsace_moselle_local_law:
            return False
        return any(p.departement in ALSACE_MOSELLE for p in self.properties.all())

    def required_pieces(self) -> list[str]:
        """The pieces the case's action needs (ActionType.pieces_required): in
        Alsace-Moselle the extract of the livre foncier instead of the fiche d'immeuble."""
        if self.action_type_id is None:
            return []
        return self.action_type.pieces_required(local_law=self.is_alsace_moselle)

    @property
    def amounts(self) -> dict[str, Decimal]:
        """The amounts at stake: of the claims the action pursues (pursued_claims)."""
        claims = self.pursued_claims()
        return {
            "principal": sum((c.principal for c in claims), Decimal("0")),
            "penalties": sum((c.penalties for c in claims), Decimal("0")),
            "remaining": sum((c.remaining for c in claims), Decimal("0")),
        }

    @property
    def earliest_prescription_date(self) -> datetime.date | None:
        dates = [c.prescription_date for c in self.pursued_claims() if c.prescription_date]
        return min(dates) if dates else None

    @property
    def excludes_prescribed_claims(self) -> bool:
        """An action that needs a debt not prescribed (LPF L.267, Cass. com. 5 déc. 2000:
        the manager answers only for a debt the company still owes) leaves the prescribed
        claims out; every other action only warns on them."""
        return self.action_type_id is not None and self.action_type.requires_unprescribed_debt

    def excluded_claims(self, today: datetime.date | None = None) -> list["Claim"]:
        """The claims left out of the action: the prescribed ones, for an L.267 action."""
        if not self.excludes_prescribed_claims:
            return []
        return [c for c in self.claims.all() if c.is_prescribed(today)]

    def pursued_claims(self, today: datetime.date | None = None) -> list["Claim"]:
        """The claims the action pursues: every claim but the excluded ones."""
        claims = list(self.claims.all())
        if not claims or not self.excludes_prescribed_claims:
            return claims
        return [c for c in claims if not c.is_prescribed(today)]


class Claim(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="claims", verbose_name="dossier"
    )
    tax = models.CharField("impôt", max_length=20, choices=TaxKind.choices)
    # Blank only on rows older than the natures that no tax kind decides (a fine, a taxe
    # annexe…): the referral form and the API refuse a claim without one.
    nature = models.CharField(
        "nature (régime de prescription)",
        max_length=30,
        choices=ClaimNature.choices,
        blank=True,
    )
    period = models.CharField("période", max_length=50, help_text="Ex. : 2022, T3 2023")
    assessment_date = models.DateField(
        "date de mise en recouvrement", validators=[validate_claim_date, validate_not_future]
    )
    amr_sent_on = models.DateField(
        "date d'envoi de l'AMR",
        null=True,
        blank=True,
        validators=[validate_claim_date, validate_not_future],
        help_text="Pour un AMR : la prescription court de son envoi (LPF L.274).",
    )
    conviction_final_on = models.DateField(
        "condamnation devenue définitive le",
        null=True,
        blank=True,
        validators=[validate_claim_date, validate_not_future],
        help_text="Pour une amende : point de départ de la prescription de la peine "
        "(C. pén. 133-2 à 133-4).",
    )
    principal = models.DecimalField("droits", **MONEY, validators=[non_negative])
    penalties = models.DecimalField(
        "pénalités", **MONEY, default=Decimal("0"), validators=[non_negative]
    )
    remaining = models.DecimalField("reste à recouvrer", **MONEY, validators=[non_negative])
    last_interruptive_act = models.DateField(
        "dernier acte interruptif",
        null=True,
        blank=True,
        validators=[validate_claim_date, validate_not_future],
        help_text="Mise en demeure, saisie, SATD, paiement… (LPF L.274)",
    )
    # Written by deadlines.prescription from the claim's chain of acts and suspensions
    # (kept here for lists, dashboards and the « near prescription » alerts): no date
    # while an instance is pending, a suspension runs or the nature is unknown.
    prescription_date = models.DateField(
        "date de prescription", null=True, blank=True, editable=False
    )
    prescription_state = models.CharField(
        "état de la prescription",
        max_length=20,
        choices=PrescriptionState.choices,
        default=PrescriptionState.UNKNOWN,
        editable=False,
    )
    # Where an imported claim comes from (cases/claims_import.py): its reference in the
    # recovery application, blank for a claim typed on the referral form.
    source_application = models.CharField(
        "application d'origine", max_length=10, choices=SourceApplication.choices, blank=True
    )
    source_reference = models.CharField("référence d'origine", max_length=60, blank=True)

    class Meta:
        ordering = ["assessment_date", "pk"]
        verbose_name = "créance"
        constraints = [
            models.CheckConstraint(
                name="claim_principal_gte_0",
                violation_error_message="Les droits ne peuvent pas être négatifs.",
                condition=Q(principal__gte=0),
            ),
            models.CheckConstraint(
                name="claim_penalties_gte_0",
                violation_error_message="Les pénalités ne peuvent pas être négatives.",
                condition=Q(penalties__gte=0),
            ),
            models.CheckConstraint(
                name="claim_remaining_gte_0",
                violation_error_message="Le reste à recouvrer ne peut pas être négatif.",
                condition=Q(remaining__gte=0),
            ),
            models.CheckConstraint(
                name="claim_remaining_lte_total",
                violation_error_message=(
                    "Le reste à recouvrer ne peut pas dépasser les droits et pénalités."
                ),
                # SQLite adds decimals as floats (125432.17 + 12543.22 = 137975.38999…):
                # half a cent of slack keeps exact sums valid; any real excess is >= 1 cent.
                condition=Q(remaining__lte=F("principal") + F("penalties") + Decimal("0.005")),
            ),
            models.CheckConstraint(
                name="claim_interruption_after_assessment",
                violation_error_message=(
                    "Le dernier acte interruptif ne peut pas précéder la mise en recouvrement."
                ),
                condition=Q(last_interruptive_act__isnull=True)
                | Q(last_interruptive_act__gte=F("assessment_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tax_display()} {self.period}"

    @property
    def total(self) -> Decimal:
        return self.principal + self.penalties

    def clean(self) -> None:
        errors = {}
        if None not in (self.principal, self.penalties, self.remaining) and (
            self.remaining > self.principal + self.penalties
        ):
            errors["remaining"] = (
                "Le reste à recouvrer ne peut pas dépasser les droits et pénalités "
                f"({euros(self.principal + self.penalties)})."
            )
        if (
            self.last_interruptive_act
            and self.assessment_date
            and self.last_interruptive_act < self.assessment_date
        ):
            errors["last_interruptive_act"] = (
                "Le dernier acte interruptif ne peut pas précéder la mise en recouvrement."
            )
        errors.update(self.nature_problems())
        if errors:
            raise ValidationError(errors)

    def nature_problems(self) -> dict[str, str]:
        """What the claim's nature requires (the referral and the API refuse without)."""
        errors = {}
        if not self.nature:
            errors["nature"] = (
                "Indiquez la nature de la créance (impôt par rôle ou par AMR, amende et sa "
                "classe, produit local…) : elle fixe le délai de prescription, aucun n'est "
                "supposé par défaut."
            )
        if self.nature in FINE_NATURES and self.conviction_final_on is None:
            errors["conviction_final_on"] = (
                "Pour une amende, indiquez la date à laquelle la condamnation est devenue "
                "définitive (point de départ de la prescription de la peine)."
            )
        sent, assessed = self.amr_sent_on, self.assessment_date
        if self.nature == ClaimNature.IMPOT_AMR and sent and assessed and sent < assessed:
            errors["amr_sent_on"] = "L'AMR ne peut pas être envoyé avant sa mise en recouvrement."
        if self.nature != ClaimNature.IMPOT_AMR and self.amr_sent_on:
            errors["amr_sent_on"] = "La date d'envoi ne concerne qu'un AMR."
        if self.nature not in FINE_NATURES and self.conviction_final_on:
            errors["conviction_final_on"] = "Cette date ne concerne qu'une amende."
        return errors

    @property
    def is_prescription_known(self) -> bool:
        return self.prescription_state != PrescriptionState.UNKNOWN

    def is_prescribed(self, today: datetime.date | None = None) -> bool:
        """Prescribed on `today`: the stored term ran out before it (C. civ. 2228-2229: on
        its last day the claim is still alive; a pending instance or a running suspension
        keeps it alive)."""
        today = today or timezone.localdate()
        return (
            self.prescription_state == PrescriptionState.RUNNING
            and self.prescription_date is not None
            and self.prescription_date < today
        )


class PropertyTarget(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="properties")
    address = models.CharField("adresse du bien", max_length=300)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=150)
    departement = models.CharField("département", max_length=3, validators=[validate_departement])
    cadastral_section = models.CharField("section cadastrale", max_length=5)
    cadastral_number = models.CharField("numéro de parcelle", max_length=10)
    lot = models.CharField("lot(s) de copropriété", max_length=100, blank=True)
    # Alsace-Moselle (57, 67, 68): the livre foncier's references, required there
    # (cases.forms.PropertyForm, cases.referral); blank elsewhere.
    land_register_commune = models.CharField(
        "ban communal (livre foncier)",
        max_length=150,
        blank=True,
        help_text="Moselle, Bas-Rhin, Haut-Rhin : la commune dont le livre foncier porte le "
        "bien (ex. : Strasbourg).",
    )
    land_register_section = models.CharField(
        "section (livre foncier)",
        max_length=10,
        blank=True,
        help_text="Moselle, Bas-Rhin, Haut-Rhin : la section portée au livre foncier.",
    )
    land_register_sheet = models.CharField(
        "feuillet (livre foncier)",
        max_length=20,
        blank=True,
        help_text="Moselle, Bas-Rhin, Haut-Rhin : le numéro du feuillet du livre foncier.",
    )
    description = models.CharField("nature du bien", max_length=300, blank=True)
    family_home = models.BooleanField(
        "bien propre du débiteur constituant le logement de la famille",
        null=True,
        blank=True,
        help_text="Oui : le commandement est dénoncé au conjoint au plus tard le premier jour "
        "ouvrable suivant sa signification (CPCE R.321-1 al. 3).",
    )
    occupation = models.CharField(
        "occupation du bien",
        max_length=10,
        choices=PropertyOccupation.choices,
        blank=True,
        help_text="Telle que la connaît le poste : le commissaire de justice la constatera "
        "(CPCE R.322-2) ; l'adjudicataire prend le bien tel qu'il est occupé.",
    )
    reserve_price = models.DecimalField(
        "mise à prix proposée (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Fixée par le créancier poursuivant au cahier des conditions de vente ; "
        "sans enchère, il est déclaré adjudicataire d'office à ce montant (CPCE L.322-6).",
    )

    class Meta:
        verbose_name = "bien immobilier"
        verbose_name_plural = "biens immobiliers"
        constraints = [
            models.CheckConstraint(
                name="property_reserve_price_gt_0",
                violation_error_message="La mise à prix doit être supérieure à zéro.",
                condition=Q(reserve_price__isnull=True) | Q(reserve_price__gt=0),
            ),
            models.CheckConstraint(
                name="property_occupation_valid",
                violation_error_message="Occupation du bien inconnue.",
                condition=Q(occupation="") | Q(occupation__in=PropertyOccupation.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address}, {self.commune} ({self.cadastral_reference})"

    @property
    def cadastral_reference(self) -> str:
        return f"section {self.cadastral_section} n° {self.cadastral_number}"

    @property
    def is_alsace_moselle(self) -> bool:
        return self.departement in ALSACE_MOSELLE

    @property
    def land_register_reference(self) -> str:
        """« livre foncier de Strasbourg, section NE, feuillet 12345 », or "" when none."""
        if not (self.land_register_commune or self.land_register_sheet):
            return ""
        commune = self.land_register_commune
        parts = [f"livre foncier de {commune}" if commune else "livre foncier"]
        if self.land_register_section:
            parts.append(f"section {self.land_register_section}")
        if self.land_register_sheet:
            parts.append(f"feuillet {self.land_register_sheet}")
        return ", ".join(parts)


class ManagerTarget(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="managers")
    last_name = models.CharField("nom", max_length=150)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    # Indexed: a natural person's referral finds the companies that target them as manager
    # (cases.debtors.link_managers).
    birth_date = models.DateField(
        "date de naissance",
        null=True,
        blank=True,
        validators=[validate_birth_date],
        db_index=True,
    )
    address = models.CharField("adresse", max_length=300, blank=True)
    function = models.CharField(
        "qualité", max_length=150, blank=True, help_text="Gérant de droit, de fait, président…"
    )
    grounds = models.TextField(
        "manquements reprochés",
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text="Manœuvres frauduleuses ou inobservation grave et répétée (LPF L.267).",
    )
    residence = models.CharField(
        "résidence",
        max_length=10,
        choices=Residence.choices,
        default=Residence.METROPOLE,
        help_text="Pour les délais de distance (CPC 643-644) : outre-mer +1 mois, étranger "
        "+2 mois sur les délais d'appel et de comparution.",
    )
    # Issue 17 (« holder »): the mandate, a de facto management, the « déjà tenu » condition.
    mandate_from = models.DateField(
        "dirigeant depuis le",
        null=True,
        blank=True,
        validators=[validate_claim_date, validate_not_future],
        help_text="Le mandat doit couvrir la période des manquements.",
    )
    mandate_to = models.DateField(
        "dirigeant jusqu'au",
        null=True,
        blank=True,
        validators=[validate_claim_date, validate_not_future],
        help_text="Vide : toujours en fonctions.",
    )
    de_facto = models.BooleanField(
        "dirigeant de fait",
        null=True,
        blank=True,
        help_text="Oui : décrivez les actes positifs de gestion qui l'établissent.",
    )
    de_facto_evidence = models.TextField(
        "éléments établissant la gestion de fait",
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text="Signature des contrats, relations avec les banques, les fournisseurs…",
    )
    already_liable = models.BooleanField(
        "déjà tenu des dettes sociales à un autre titre",
        null=True,
        blank=True,
        help_text="Oui s'il en répond déjà, par exemple comme associé d'une SNC ou d'une "
        "société civile : l'article L.267 du LPF ne s'applique alors pas.",
    )

    class Meta:
        verbose_name = "dirigeant"
        constraints = [
            models.CheckConstraint(
                name="manager_mandate_dates_ordered",
                violation_error_message="La fin du mandat ne peut pas précéder son début.",
                condition=Q(mandate_from__isnull=True)
                | Q(mandate_to__isnull=True)
                | Q(mandate_to__gte=F("mandate_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()


class ThirdPartyHolderTarget(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="holders")
    name = models.CharField("tiers détenteur", max_length=200)
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    address = models.CharField("adresse", max_length=300, blank=True)
    satd_date = models.DateField(
        "date de la SATD", validators=[validate_act_date, validate_not_future]
    )
    satd_amount = models.DecimalField("montant de la SATD", **MONEY, validators=[non_negative])
    residence = models.CharField(
        "résidence",
        max_length=10,
        choices=Residence.choices,
        default=Residence.METROPOLE,
        help_text="Pour les délais de distance (CPC 643-644) : outre-mer +1 mois, étranger "
        "+2 mois sur les délais d'appel et de comparution.",
    )
    # Issue 17 (« holder »): the SATD's notification and dénonciation, the holder's
    # declaration and what it owed the debtor on the SATD's date (its obligation).
    notified_on = models.DateField(
        "SATD notifiée au tiers le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    denounced_on = models.DateField(
        "SATD notifiée au redevable le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
        help_text="Notification de la saisie au redevable (LPF art. L.262).",
    )
    declaration = models.CharField(
        "déclaration du tiers",
        max_length=20,
        choices=HolderDeclaration.choices,
        blank=True,
        help_text="Le tiers doit déclarer l'étendue de ses obligations envers le redevable "
        "(CPCE art. L.211-3).",
    )
    declared_on = models.DateField(
        "déclaration faite le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    declaration_content = models.TextField(
        "contenu de la déclaration", max_length=TEXT_MAX_LENGTH, blank=True
    )
    obligation = models.DecimalField(
        "sommes dues au redevable à la date de la SATD",
        **MONEY,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text="L'obligation du tiers : il n'est condamné que dans sa limite (LPF "
        "art. L.262, CPCE art. L.211-2).",
    )

    class Meta:
        verbose_name = "tiers détenteur"
        verbose_name_plural = "tiers détenteurs"
        constraints = [
            models.CheckConstraint(
                name="holder_satd_amount_gt_0",
                violation_error_message="Le montant de la SATD doit être positif.",
                condition=Q(satd_amount__gt=0),
            ),
            models.CheckConstraint(
                name="holder_obligation_gte_0",
                violation_error_message="Les sommes dues au redevable ne peuvent pas être "
                "négatives.",
                condition=Q(obligation__isnull=True) | Q(obligation__gte=0),
            ),
            models.CheckConstraint(
                name="holder_notified_after_satd",
                violation_error_message="La SATD ne peut pas être notifiée avant sa date.",
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=F("satd_date")),
            ),
            models.CheckConstraint(
                name="holder_denounced_after_satd",
                violation_error_message=(
                    "La SATD ne peut pas être notifiée au redevable avant sa date."
                ),
                condition=Q(denounced_on__isnull=True) | Q(denounced_on__gte=F("satd_date")),
            ),
            models.CheckConstraint(
                name="holder_declared_on_iff_declared",
                violation_error_message="Une date de déclaration suppose que le tiers a déclaré.",
                condition=Q(declared_on__isnull=True) | Q(declaration=HolderDeclaration.DECLARED),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def claimed_amount(self) -> Decimal:
        """What the action asks of the holder: the SATD's amount, within the limit of its
        obligation towards the debtor when known (LPF L.262, CPCE L.211-2,
        BOI-REC-FORCE-30-40)."""
        if self.obligation is None:
            return self.satd_amount
        return min(self.satd_amount, self.obligation)

    @property
    def limited_by_obligation(self) -> bool:
        return self.obligation is not None and self.obligation < self.satd_amount


def stored_file_upload_to(instance: "StoredFile", filename: str) -> str:
    # The stored name never reuses the user's file name (kept in original_name).
    return f"{instance.upload_dir}/{timezone.now():%Y/%m}/{instance.sha256}"


class StoredFile(models.Model):
    """An uploaded file checked by cases.pieces.check_upload, fingerprinted, and stored
    through Django's storage API under a name that is its hash."""

    upload_dir = "files"

    file = models.FileField("fichier", upload_to=stored_file_upload_to, max_length=300)
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)")
    content_type = models.CharField("type de contenu", max_length=100)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)

    class Meta:
        abstract = True


class Piece(StoredFile):
    """A piece of the case's file. Its number (the bordereau's « pièce n° ») is given at
    its first save from the case's counter, under the case's row lock: unique in the
    case, stable, never given again after a removal. Its date and description are those
    of the document itself (an AMR of such a day), as the lawyer lists it."""

    upload_dir = "pieces"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pieces")
    number = models.PositiveIntegerField("numéro", editable=False)
    kind = models.CharField("type de pièce", max_length=30, choices=PieceKind.choices)
    dated_on = models.DateField(
        "date de la pièce", null=True, blank=True, validators=[validate_piece_date]
    )
    description = models.CharField(
        "description",
        max_length=300,
        blank=True,
        help_text="Telle qu'elle figurera au bordereau, par exemple « Avis de mise en "
        "recouvrement n° 2024-123 ».",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposée le", default=timezone.now)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = "pièce"
        constraints = [
            models.CheckConstraint(
                name="piece_not_empty",
                violation_error_message="Une pièce ne peut pas être vide.",
                condition=Q(size__gt=0),
            ),
            models.UniqueConstraint(
                fields=["case", "number"],
                name="piece_number_unique_in_case",
                violation_error_message="Ce numéro de pièce est déjà pris dans ce dossier.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    def save(self, *args, **kwargs):
        if self.number is not None:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            # The UPDATE holds the case's row until the end of the transaction: two
            # uploads at once get two numbers, one after the other.
            cases = Case.objects.filter(pk=self.case_id)
            cases.update(last_piece_number=F("last_piece_number") + 1)
            self.number = cases.values_list("last_piece_number", flat=True).get()
            if Piece.case.is_cached(self):
                self.case.last_piece_number = self.number
            return super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """What the piece is, as the bordereau lists it: its description, else its kind."""
        return self.description.strip() or self.get_kind_display()

    @property
    def integrity_label(self) -> str:
        """How an integrity report names this piece (cases/integrity.py)."""
        return f"la pièce n° {self.pk} « {self.original_name} » du dossier {self.case.reference}"


class Message(models.Model):
    """One message of a case's thread between the referring side and the pôle. Messages
    are never edited nor deleted: the thread is part of the file."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_label = models.CharField("auteur (au moment de l'envoi)", max_length=300)
    body = models.TextField("message", max_length=TEXT_MAX_LENGTH)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = "message"
        indexes = [models.Index(fields=["case", "sent_at"], name="message_case_sent")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.sent_at:%Y-%m-%d %H:%M} {self.author_label}"


class MessageAttachment(StoredFile):
    upload_dir = "messages"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        ordering = ["pk"]
        verbose_name = "pièce jointe"
        constraints = [
            models.CheckConstraint(
                name="attachment_not_empty",
                violation_error_message="Une pièce jointe ne peut pas être vide.",
                condition=Q(size__gt=0),
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def integrity_label(self) -> str:
        """How an integrity report names this attachment (cases/integrity.py)."""
        return (
            f"la pièce jointe n° {self.pk} « {self.original_name} » d'un message du dossier "
            f"{self.message.case.reference}"
        )


class MessageRead(models.Model):
    """Up to which message a user has read a case's thread (for the unread counts)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    last_read = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "case"], name="message_read_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.case_id} {self.last_read_id}"


class SubmissionToken(models.Model):
    """A page form sent once: the one-time `form_token` it carried, and where its result
    is (cases.submissions). The same form sent again finds this row and goes there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="auteur"
    )
    token = models.UUIDField("jeton du formulaire")
    result_url = models.CharField("résultat", max_length=500)
    created_at = models.DateTimeField("envoyé le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "formulaire envoyé"
        verbose_name_plural = "formulaires envoyés"
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submission_token_once"),
        ]

    def __str__(self) -> str:
        return f"{self.token} → {self.result_url}"


class AppendOnlyError(Exception):
    pass


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("L'historique d'un dossier ne peut pas être modifié.")

    def delete(self):
        raise AppendOnlyError("L'historique d'un dossier ne peut pas être supprimé.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("L'historique d'un dossier ne peut pas être modifié.")


class CaseEvent(models.Model):
    """One line of a case's history. Append-only: the ORM refuses updates and deletes,
    and database triggers refuse them from any other path."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    actor_label = models.CharField("auteur (au moment des faits)", max_length=300, blank=True)
    kind = models.CharField("nature", max_length=20, choices=EventKind.choices)
    transition = models.CharField("transition", max_length=50, blank=True)
    source_status = models.CharField(
        "statut avant", max_length=30, choices=CaseStatus.choices, blank=True
    )
    target_status = models.CharField(
        "statut après", max_length=30, choices=CaseStatus.choices, blank=True
    )
    summary = models.CharField("résumé", max_length=300)
    reason = models.TextField("motif", blank=True)  # bounded by the forms (append-only)
    data = models.JSONField("détails", default=dict, blank=True)
    # The hash chain (cases/chain.py): the previous entry's hash, this entry's own.
    previous_hash = models.CharField("empreinte de l'entrée précédente", max_length=64, blank=True)
    entry_hash = models.CharField("empreinte", max_length=64)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "événement"
        indexes = [
            models.Index(fields=["case", "at"], name="event_case_at"),
            # The hash chain's « last entry of this case » at each insert (the PostgreSQL
            # trigger of cases/migrations/0016, cases.chain on SQLite): without it the
            # planner walks the primary key backwards over every later event.
            models.Index(fields=["case", "id"], name="event_case_chain"),
            models.Index(fields=["transition", "at"], name="event_transition_at"),  # dashboards
            models.Index(  # the dashboards' time from assignment
                fields=["case", "at"], condition=Q(kind="assigned"), name="event_assigned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args, **kwargs) -> None:
        """Append the entry, chained to the case's last one (cases/chain.py) under the
        case's row lock, so that two writers of the same case take turns (on SQLite the
        IMMEDIATE transactions already do)."""
        if not self._state.adding:
            raise AppendOnlyError("L'historique d'un dossier ne peut pas être modifié.")
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=self.case_id).values_list("pk").first()
            previous = (
                CaseEvent.objects.filter(case_id=self.case_id)
                .order_by("-pk")
                .values_list("entry_hash", flat=True)
                .first()
            )
            chain.seal(self, previous or "")
            super().save(*args, **kwargs)

    @classmethod
    def record(cls, case: Case, actor, kind: str, summary: str, **fields) -> "CaseEvent":
        """Append one entry; the actor's name and role are frozen in the entry. It is
        announced in the same transaction (`events.case_event_recorded`: the notification
        outbox listens)."""
        label = actor_label(actor) if actor is not None else ""
        event = cls.objects.create(
            case=case, actor=actor, actor_label=label, kind=kind, summary=summary, **fields
        )
        events.case_event_recorded.send(sender=cls, event=event)
        return event

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("L'historique d'un dossier ne peut pas être supprimé.")


class ReturnGroundRecord(models.Model):
    """One ground of a return for completion (a referral may be returned for several),
    attached to the history entry of the return."""

    event = models.ForeignKey(
        CaseEvent, on_delete=models.PROTECT, related_name="return_grounds", verbose_name="renvoi"
    )
    ground = models.CharField("motif", max_length=20, choices=ReturnGround.choices)

    class Meta:
        verbose_name = "motif de renvoi"
        verbose_name_plural = "motifs de renvoi"
        constraints = [
            models.UniqueConstraint(fields=["event", "ground"], name="return_ground_once"),
        ]

    def __str__(self) -> str:
        return self.get_ground_display()


# --- The judicial phase (takeover mode) ---------------------------------------------------


def _created_by() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisi par",
    )


def _created_at() -> models.DateTimeField:
    return models.DateTimeField("saisi le", default=timezone.now)


def _case(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name=related_name, verbose_name="dossier"
    )


def _court() -> models.CharField:
    return models.CharField(
        "juridiction", max_length=200, help_text="Ex. : Tribunal judiciaire de Laon"
    )


class Lawyer(models.Model):
    """The lawyers' directory: who can represent the State before which courts."""

    name = models.CharField("nom", max_length=200, help_text="Ex. : Maître Anne Lefèvre")
    firm = models.CharField("cabinet", max_length=200, blank=True)
    bar = models.CharField("barreau", max_length=150, help_text="Ex. : Barreau de Laon")
    courts = models.TextField(
        "juridictions",
        max_length=TEXT_MAX_LENGTH,
        help_text="Juridictions devant lesquelles l'avocat plaide, une par ligne.",
    )
    email = models.EmailField("courriel")
    phone = models.CharField("téléphone", max_length=30)
    address = models.TextField("adresse", max_length=ADDRESS_MAX_LENGTH, blank=True)
    fee_agreement = models.TextField(
        "convention d'honoraires",
        max_length=TEXT_MAX_LENGTH,
        help_text="Ex. : Forfait 1 500 € HT par procédure + 10 % des sommes recouvrées",
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["name", "bar"]
        verbose_name = "avocat"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "bar"],
                name="lawyer_name_bar_unique",
                violation_error_message="Cet avocat figure déjà dans l'annuaire pour ce barreau.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.bar})"

    @property
    def court_list(self) -> list[str]:
        return [line.strip() for line in self.courts.splitlines() if line.strip()]


class LawyerMandate(models.Model):
    case = _case("mandates")
    lawyer = models.ForeignKey(
        Lawyer, on_delete=models.PROTECT, related_name="mandates", verbose_name="avocat"
    )
    mandated_on = models.DateField(
        "mandaté le", validators=[validate_act_date, validate_not_future]
    )
    fee_agreement = models.TextField(
        "convention d'honoraires", max_length=TEXT_MAX_LENGTH, blank=True
    )
    instructions = models.TextField("instructions", max_length=TEXT_MAX_LENGTH, blank=True)
    revoked_on = models.DateField(
        "révoqué le", null=True, blank=True, validators=[validate_act_date, validate_not_future]
    )
    revocation_reason = models.TextField(
        "motif de la révocation", max_length=TEXT_MAX_LENGTH, blank=True
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["mandated_on", "pk"]
        verbose_name = "mandat d'avocat"
        verbose_name_plural = "mandats d'avocat"
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(revoked_on__isnull=True),
                name="mandate_one_current_per_case",
                violation_error_message=(
                    "Ce dossier a déjà un avocat mandaté : révoquez son mandat d'abord."
                ),
            ),
            models.CheckConstraint(
                name="mandate_revoked_after_mandated",
                violation_error_message="Un mandat ne peut pas être révoqué avant d'être donné.",
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("mandated_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} — mandaté le {self.mandated_on:%d/%m/%Y}"

    @property
    def is_current(self) -> bool:
        return self.revoked_on is None


class StartingAct(models.Model):
    case = _case("starting_acts")
    kind = models.CharField("nature de l'acte", max_length=30, choices=StartingActKind.choices)
    court = _court()
    signed_on = models.DateField("signé le", validators=[validate_act_date, validate_not_future])
    served_on = models.DateField(
        "signifié le", null=True, blank=True, validators=[validate_act_date, validate_not_future]
    )
    party = models.CharField(
        "dirigé contre",
        max_length=20,
        choices=ActParty.choices,
        default=ActParty.DEBTOR,
        help_text="Seul un acte contre le débiteur ou un co-débiteur solidaire interrompt la "
        "prescription (C. civ. 2241, 2244, 2245).",
    )
    # What became of the instance or the commandement (C. civ. 2242-2243): blank while
    # the decisions of the case say it (deadlines.prescription), set by the pôle for a
    # désistement, a péremption, a caducité.
    outcome = models.CharField("issue", max_length=20, choices=ActOutcome.choices, blank=True)
    outcome_on = models.DateField(
        "issue le", null=True, blank=True, validators=[validate_act_date, validate_not_future]
    )
    # Issue 17 (« holder »): what the jurist confirmed (ActionType.starting_act_checks) and
    # the assignation's publication at the land registry (décret 55-22, art. 28 4° c, 30-5).
    confirmed_checks = models.JSONField("vérifications confirmées", default=list, blank=True)
    published_on = models.DateField(
        "publiée au service de la publicité foncière le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    # Collective proceedings (the assignation to open them): the court follows the debtor's
    # form and activity (cases.collective.competent_court); the URSSAF may join the Trésor
    # as co-plaintiff (a name here; a general model of the parties may replace it).
    debtor_activity = models.CharField(
        "forme et activité du débiteur", max_length=20, choices=DebtorActivity.choices, blank=True
    )
    co_plaintiff = models.CharField(
        "co-demandeur",
        max_length=200,
        blank=True,
        help_text="Ex. : URSSAF de Picardie (assignation conjointe).",
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["signed_on", "pk"]
        verbose_name = "acte introductif"
        verbose_name_plural = "actes introductifs"
        constraints = [
            models.CheckConstraint(
                name="starting_act_served_after_signed",
                violation_error_message="L'acte ne peut pas être signifié avant d'être signé.",
                condition=Q(served_on__isnull=True) | Q(served_on__gte=F("signed_on")),
            ),
            models.CheckConstraint(
                name="starting_act_published_after_signed",
                violation_error_message="L'acte ne peut pas être publié avant d'être signé.",
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("signed_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.signed_on:%d/%m/%Y}"


class Hearing(models.Model):
    case = _case("hearings")
    instance = models.CharField(
        "instance", max_length=10, choices=Instance.choices, default=Instance.FIRST
    )
    court = _court()
    scheduled_at = models.DateTimeField("date et heure", validators=[validate_act_date])
    kind = models.CharField(
        "nature de l'audience",
        max_length=20,
        choices=HearingKind.choices,
        default=HearingKind.OTHER,
        help_text="Décide des délais que l'audience fait courir.",
    )
    purpose = models.CharField(
        "précisions", max_length=200, blank=True, help_text="Ex. : plaidoiries sur la nullité"
    )
    # The number the court's registry gave the case at this instance (répertoire général),
    # which every act filed there bears: the bordereau's « RG n° ».
    rg_number = models.CharField(
        "numéro RG",
        max_length=40,
        blank=True,
        help_text="Le numéro de répertoire général donné par le greffe. Ex. : 24/01234",
    )
    status = models.CharField(
        "état", max_length=10, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    adjourned_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjourned_to",
        verbose_name="renvoi de l'audience du",
    )
    adjournment_reason = models.TextField("motif du renvoi", max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["scheduled_at", "pk"]
        verbose_name = "audience"
        constraints = [
            models.CheckConstraint(
                name="hearing_kind_valid",
                violation_error_message="Nature d'audience inconnue.",
                condition=Q(kind__in=HearingKind.values),
            ),
            models.CheckConstraint(
                name="hearing_adjourned_has_reason",
                violation_error_message="Indiquez le motif du renvoi.",
                condition=~Q(status=HearingStatus.ADJOURNED) | ~Q(adjournment_reason=""),
            ),
            # The last guard behind the forms' plausible range: a hearing in year 1 is
            # stored BC by PostgreSQL and cannot be read back (the step page failed).
            models.CheckConstraint(
                name="hearing_scheduled_at_plausible",
                violation_error_message="Indiquez une date d'audience plausible.",
                condition=Q(scheduled_at__gte=datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC))
                & Q(scheduled_at__lt=datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)),
            ),
        ]

    def __str__(self) -> str:
        what = self.purpose or self.get_kind_display()
        return f"{what} — {timezone.localtime(self.scheduled_at):%d/%m/%Y %H:%M}"


class Decision(models.Model):
    case = _case("decisions")
    instance = models.CharField(
        "instance", max_length=10, choices=Instance.choices, default=Instance.FIRST
    )
    decided_on = models.DateField("rendue le", validators=[validate_act_date, validate_not_future])
    court = _court()
    outcome = models.CharField(
        "sens de la décision", max_length=20, choices=DecisionOutcome.choices
    )
    amount_awarded = models.DecimalField(
        "montant alloué", **MONEY, null=True, blank=True, validators=[non_negative]
    )
    notified_on = models.DateField(
        "signifiée le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
        help_text="Point de départ du délai d'appel.",
    )
    judgment = models.ForeignKey(
        Piece, on_delete=models.PROTECT, related_name="+", verbose_name="jugement"
    )
    summary = models.TextField("résumé", max_length=TEXT_MAX_LENGTH, blank=True)
    # The costs the decision awards to the State (issue 17, « distrib »): CPC 700 and the
    # dépens (CPC 695-696), recovered like the claims and counted in the net recovery.
    article_700 = models.DecimalField(
        "article 700 du CPC alloué", **MONEY, null=True, blank=True, validators=[non_negative]
    )
    depens = models.DecimalField(
        "dépens alloués", **MONEY, null=True, blank=True, validators=[non_negative]
    )
    # Issue 17 (decisions per procedure): a judgment given by default opens the opposition
    # (CPC 473, 571).
    by_default = models.BooleanField(
        "rendue par défaut",
        default=False,
        help_text="Jugement rendu par défaut (CPC 473) : la partie défaillante peut former "
        "opposition dans le mois de sa notification (CPC 538, 571-572).",
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = "décision"
        indexes = [models.Index(fields=["decided_on"], name="decision_decided_on")]
        constraints = [
            models.CheckConstraint(
                name="decision_amount_gte_0",
                violation_error_message="Le montant alloué ne peut pas être négatif.",
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0),
            ),
            # Issue 17: an amount only where the outcome awards money (cases.decisions).
            models.CheckConstraint(
                name="decision_amount_only_when_awarded",
                violation_error_message=(
                    "Un montant alloué ne s'enregistre qu'avec une décision qui condamne au "
                    "paiement : laissez le montant vide pour ce sens de décision."
                ),
                condition=Q(amount_awarded__isnull=True) | Q(outcome__in=sorted(MONEY_OUTCOMES)),
            ),
            models.CheckConstraint(
                name="decision_notified_after_decided",
                violation_error_message=(
                    "La décision ne peut pas être signifiée avant d'avoir été rendue."
                ),
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=F("decided_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court}, {self.decided_on:%d/%m/%Y} : {self.get_outcome_display()}"


class Appeal(models.Model):
    case = _case("appeals")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="appeals", verbose_name="décision"
    )
    lodged_by = models.CharField("appelant", max_length=10, choices=AppealParty.choices)
    # Issue 17: the recourse this row records and the instance it opens (an appeal, a
    # pourvoi en cassation, an opposition).
    instance = models.CharField(
        "voie de recours", max_length=10, choices=Instance.choices, default=Instance.APPEAL
    )
    lodged_on = models.DateField(
        "interjeté le", validators=[validate_act_date, validate_not_future]
    )
    court = models.CharField(
        "juridiction d'appel", max_length=200, help_text="Ex. : Cour d'appel d'Amiens"
    )
    grounds = models.TextField("moyens d'appel", max_length=TEXT_MAX_LENGTH)
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["lodged_on", "pk"]
        verbose_name = "appel"

    def __str__(self) -> str:
        return f"Appel du {self.lodged_on:%d/%m/%Y} ({self.get_lodged_by_display()})"

    def clean(self) -> None:
        if self.decision_id is None or self.lodged_on is None:
            return
        errors = {}
        if self.case_id is not None and self.decision.case_id != self.case_id:
            errors["decision"] = "Cette décision ne concerne pas ce dossier."
        if self.lodged_on < self.decision.decided_on:
            errors["lodged_on"] = (
                "L'appel ne peut pas être interjeté avant la décision "
                f"(rendue le {self.decision.decided_on:%d/%m/%Y})."
            )
        if errors:
            raise ValidationError(errors)


class Recovery(models.Model):
    case = _case("recoveries")
    received_on = models.DateField(
        "encaissé le", validators=[validate_act_date, validate_not_future]
    )
    amount = models.DecimalField(
        "montant",
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"), "Le montant doit être positif.")],
    )
    comment = models.TextField("commentaire", max_length=TEXT_MAX_LENGTH, blank=True)
    party = models.CharField(
        "payé par",
        max_length=20,
        choices=ActParty.choices,
        default=ActParty.DEBTOR,
        help_text="Le paiement du débiteur interrompt la prescription (C. civ. 2240) ; celui "
        "d'un tiers détenteur ou d'un autre tiers, non.",
    )
    # The part of the payment that goes to the costs a decision awarded (CPC 700, dépens);
    # the rest is imputed to the claims (`ClaimImputation`, cases.money).
    awarded_costs = models.DecimalField(
        "dont frais alloués (art. 700, dépens)",
        **MONEY,
        default=Decimal("0"),
        validators=[non_negative],
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = "encaissement"
        indexes = [models.Index(fields=["received_on"], name="recovery_received_on")]
        constraints = [
            models.CheckConstraint(
                name="recovery_amount_gt_0",
                violation_error_message="Le montant encaissé doit être positif.",
                condition=Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="recovery_awarded_costs_within_amount",
                violation_error_message=(
                    "La part affectée aux frais alloués doit être comprise entre zéro et le "
                    "montant encaissé."
                ),
                condition=Q(awarded_costs__gte=0) & Q(awarded_costs__lte=F("amount")),
            ),
        ]

    def __str__(self) -> str:
        return f"{euros(self.amount)} le {self.received_on:%d/%m/%Y}"


# --- Saisie immobilière: the sale of the seized property -------------------------------


class PropertySaleQuerySet(models.QuerySet):
    def standing(self) -> "PropertySaleQuerySet":
        """The sales not undone: neither overbid (a surenchère annihilates the adjudication,
        Cass. 2e civ., 4 mars 2014) nor set aside for want of payment (réitération des
        enchères, CPCE R.322-66)."""
        return self.filter(overbid_on__isnull=True, defaulted_on__isnull=True)


class PropertySale(models.Model):
    """The sale of the seized property: an adjudication at the adjudication hearing (its
    price and its adjudicataire), or the amicable sale the judge recorded (R.322-25); what
    became of it: a surenchère (R.322-50), a réitération des enchères for want of payment
    (R.322-66), the price paid or consigned (R.322-56)."""

    case = _case("sales")
    kind = models.CharField("vente", max_length=20, choices=SaleKind.choices)
    hearing = models.ForeignKey(
        Hearing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        verbose_name="audience d'adjudication",
    )
    sold_on = models.DateField("vendu le", validators=[validate_act_date, validate_not_future])
    price = models.DecimalField(
        "prix principal",
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"), "Le prix doit être positif.")],
    )
    buyer = models.CharField("adjudicataire ou acquéreur", max_length=200)
    note = models.TextField("observations", max_length=TEXT_MAX_LENGTH, blank=True)
    # A surenchère of at least a tenth of the principal price (R.322-50), declared at the
    # registry within ten days of the adjudication (R.322-51).
    overbid_on = models.DateField(
        "surenchère déclarée le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    overbidder = models.CharField("surenchérisseur", max_length=200, blank=True)
    overbid_price = models.DecimalField(
        "prix porté par la surenchère", **MONEY, null=True, blank=True
    )
    # The registry's certificate of non-payment served on the adjudicataire (R.322-67).
    defaulted_on = models.DateField(
        "certificat de non-paiement signifié le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    paid_on = models.DateField(
        "prix consigné le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    created_by = _created_by()
    created_at = _created_at()

    objects = PropertySaleQuerySet.as_manager()

    class Meta:
        ordering = ["sold_on", "pk"]
        verbose_name = "vente du bien saisi"
        verbose_name_plural = "ventes du bien saisi"
        constraints = [
            models.CheckConstraint(
                name="sale_kind_valid",
                violation_error_message="Nature de vente inconnue.",
                condition=Q(kind__in=SaleKind.values),
            ),
            models.CheckConstraint(
                name="sale_price_gt_0",
                violation_error_message="Le prix doit être positif.",
                condition=Q(price__gt=0),
            ),
            models.CheckConstraint(
                name="sale_overbid_tenth",
                violation_error_message=(
                    "La surenchère doit porter le prix d'un dixième au moins (R.322-50)."
                ),
                condition=Q(overbid_price__isnull=True)
                | Q(overbid_price__gte=F("price") * Decimal("1.1")),
            ),
            models.CheckConstraint(
                name="sale_dates_after_sale",
                violation_error_message=(
                    "Une surenchère, un certificat de non-paiement ou le paiement du prix ne "
                    "peut précéder la vente."
                ),
                condition=(Q(overbid_on__isnull=True) | Q(overbid_on__gte=F("sold_on")))
                & (Q(defaulted_on__isnull=True) | Q(defaulted_on__gte=F("sold_on")))
                & (Q(paid_on__isnull=True) | Q(paid_on__gte=F("sold_on"))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.sold_on:%d/%m/%Y} : {euros(self.price)}"


# --- The opinion (avis d'opportunité) -----------------------------------------------------


def _grid_level(dimension: RiskDimension) -> models.CharField:
    return models.CharField(
        f"risque : {dimension.label[0].lower()}{dimension.label[1:]}",
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
    )


def _grid_comment(dimension: RiskDimension) -> models.CharField:
    return models.CharField(
        f"commentaire : {dimension.label[0].lower()}{dimension.label[1:]}",
        max_length=risk_grid.COMMENT_MAX_LENGTH,
        blank=True,
    )


class OpinionQuerySet(models.QuerySet):
    def current(self, case: Case) -> "Opinion | None":
        """The case's latest version, or None."""
        return self.filter(case=case).order_by("-version").first()


class Opinion(models.Model):
    """One version of the avis d'opportunité: written, validated by another member of the
    pôle's management (or returned to its author), then followed or not by the direction."""

    case = _case("opinions")
    version = models.PositiveIntegerField("version")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    conclusion = models.CharField("conclusion", max_length=20, choices=OpinionConclusion.choices)
    recommended_action = models.ForeignKey(
        ActionType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="action recommandée",
    )
    # Instead of a heavy action (`recommended_action`), a lighter measure (SATD, hypothèque
    # légale, saisie conservatoire, saisie-vente) or an action against the associates.
    recommended_measure = models.CharField(
        "mesure recommandée", max_length=30, choices=LighterMeasure.choices, blank=True
    )
    reasons = models.TextField("motifs", max_length=TEXT_MAX_LENGTH)
    # The structured analysis the opinion prints: whether the action's conditions are met,
    # what it would cost against what it may bring in, where the Treasury ranks.
    conditions = models.TextField(
        "examen des conditions de l'action", max_length=TEXT_MAX_LENGTH, blank=True
    )
    estimated_costs = models.DecimalField(
        "coût estimé de l'action",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    expected_recovery = models.DecimalField(
        "recouvrement attendu",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    creditors_ranking = models.TextField(
        "rang des créanciers", max_length=TEXT_MAX_LENGTH, blank=True
    )
    risk_level = models.CharField(
        "risque de non-recouvrement", max_length=10, choices=RiskLevel.choices
    )
    risk_assessment = models.TextField("analyse du risque", max_length=TEXT_MAX_LENGTH)
    # The risk grid (issue 24, `cases.risk_grid`): a level and a short comment per row.
    # Blank on the opinions written before it; a new version fills it whole.
    solvency_risk = _grid_level(RiskDimension.SOLVENCY)
    solvency_comment = _grid_comment(RiskDimension.SOLVENCY)
    assets_risk = _grid_level(RiskDimension.ASSETS)
    assets_comment = _grid_comment(RiskDimension.ASSETS)
    collective_risk = _grid_level(RiskDimension.COLLECTIVE)
    collective_comment = _grid_comment(RiskDimension.COLLECTIVE)
    prescription_risk = _grid_level(RiskDimension.PRESCRIPTION)
    prescription_comment = _grid_comment(RiskDimension.PRESCRIPTION)
    cost_risk = _grid_level(RiskDimension.COST)
    cost_comment = _grid_comment(RiskDimension.COST)
    # What the pôle's history said of comparable cases when the version was submitted
    # (`cases.comparables`), frozen: its PDF prints these figures, not today's. Empty on
    # the opinions written before issue 24.
    comparables = models.JSONField(
        "éléments de comparaison retenus", default=dict, blank=True, editable=False
    )
    status = models.CharField(
        "état", max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField("soumis le", default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé ou renvoyé par",
    )
    reviewed_at = models.DateTimeField("validé ou renvoyé le", null=True, blank=True)
    review_comments = models.TextField(
        "observations du valideur", max_length=TEXT_MAX_LENGTH, blank=True
    )
    follow = models.CharField(
        "suite donnée par la direction", max_length=20, choices=OpinionFollow.choices, blank=True
    )
    follow_up_comment = models.TextField(
        "commentaire de la direction", max_length=TEXT_MAX_LENGTH, blank=True
    )
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="suite indiquée par",
    )
    follow_up_at = models.DateTimeField("suite indiquée le", null=True, blank=True)
    takeover_requested = models.BooleanField("prise en charge demandée", default=False)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "version"]
        verbose_name = "avis d'opportunité"
        indexes = [models.Index(fields=["status", "reviewed_at"], name="opinion_status_reviewed")]
        verbose_name_plural = "avis d'opportunité"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "version"],
                name="opinion_version_unique",
                violation_error_message="Cette version de l'avis existe déjà.",
            ),
            models.CheckConstraint(
                name="opinion_version_gte_1",
                violation_error_message="La version d'un avis commence à 1.",
                condition=Q(version__gte=1),
            ),
            models.CheckConstraint(
                name="opinion_recommended_action_iff_other",
                violation_error_message=(
                    "Indiquez l'action ou la mesure recommandée (une seule) si, et "
                    "seulement si, l'avis conclut à une autre action."
                ),
                # Another action is a heavy one or a lighter measure, exactly one of them.
                condition=(
                    Q(
                        conclusion=OpinionConclusion.OTHER_ACTION,
                        recommended_action__isnull=False,
                        recommended_measure="",
                    )
                    | (
                        Q(
                            conclusion=OpinionConclusion.OTHER_ACTION,
                            recommended_action__isnull=True,
                        )
                        & ~Q(recommended_measure="")
                    )
                    | (
                        ~Q(conclusion=OpinionConclusion.OTHER_ACTION)
                        & Q(recommended_action__isnull=True, recommended_measure="")
                    )
                ),
            ),
            *(
                models.CheckConstraint(
                    name=f"opinion_{name}_valid",
                    violation_error_message="Un risque de la grille est faible, moyen ou élevé.",
                    condition=Q(**{f"{name}__in": ["", *RiskLevel.values]}),
                )
                for name in risk_grid.LEVEL_FIELDS
            ),
            # The whole grid or none of it (an opinion written before the grid).
            models.CheckConstraint(
                name="opinion_risk_grid_whole",
                violation_error_message="La grille des risques se remplit en entier.",
                condition=Q(**{name: "" for name in risk_grid.LEVEL_FIELDS})
                | Q(*(~Q(**{name: ""}) for name in risk_grid.LEVEL_FIELDS)),
            ),
            models.CheckConstraint(
                name="opinion_not_reviewed_by_author",
                violation_error_message="Personne ne valide son propre avis.",
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("author")),
            ),
            models.CheckConstraint(
                name="opinion_reviewed_has_reviewer",
                violation_error_message="Un avis validé ou renvoyé indique qui l'a examiné.",
                condition=Q(status=OpinionStatus.SUBMITTED)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Avis v{self.version} — {self.get_conclusion_display()}"

    def clean(self) -> None:
        # Required on submission (`proceedings.submit_opinion`); here only what no stored
        # version may be: part of a grid, a high risk left unexplained.
        found = risk_grid.problems(
            {name: getattr(self, name) for name in risk_grid.FIELDS}, required=False
        )
        if found:
            raise ValidationError(found)

    @property
    def risk_grid_rows(self) -> list[dict]:
        return risk_grid.rows(self)

    @property
    def has_risk_grid(self) -> bool:
        return risk_grid.is_filled(self)


# --- The consultation journal ---------------------------------------------------------------


class AccessLog(models.Model):
    """One access to tax data: who opened which case or step, downloaded which piece or
    document, exported which list, read which case through the API. Kept apart from the
    case history (what was done on the case): written by `cases.journal.record`, read by
    administrators and the head of the pôle, purged after `ACCESS_LOG_RETENTION_DAYS`
    (`manage.py purge_access_log`)."""

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="utilisateur",
    )
    user_label = models.CharField("utilisateur (au moment des faits)", max_length=300)
    kind = models.CharField("nature", max_length=30, choices=AccessKind.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dossier",
    )
    case_reference = models.CharField("référence du dossier", max_length=20, blank=True)
    target = models.CharField("objet consulté", max_length=300, blank=True)
    path = models.CharField("adresse", max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "consultation"
        verbose_name_plural = "journal des consultations"
        indexes = [
            models.Index(fields=["case", "at"], name="accesslog_case_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_kind_display()}"


class TamperAlert(models.Model):
    """When the administrators were last told that a stored file no longer matches its
    SHA-256 (cases/integrity.py): one alert per file and per hour, however often its
    download is refused, whichever process refuses it."""

    file_name = models.CharField("fichier stocké", max_length=300)
    expected_sha256 = models.CharField("empreinte attendue", max_length=64)
    alerted_at = models.DateTimeField("dernière alerte le")

    class Meta:
        verbose_name = "alerte d'intégrité"
        verbose_name_plural = "alertes d'intégrité"
        constraints = [
            models.UniqueConstraint(
                fields=["file_name", "expected_sha256"], name="tamperalert_file_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.alerted_at:%Y-%m-%d %H:%M})"


# --- Collective proceedings of a debtor (C. com. livre VI) -------------------------------
# Recorded on any taken-over case of the debtor, or by the opening decision of a
# `procedure_collective` case; read for every case of the same debtor
# (cases.collective.proceedings_of). Operations: cases/collective.py.


class CollectiveProceeding(models.Model):
    """A collective proceeding of the case's debtor: its opening judgment, its publication
    in the BODACC (which starts the declaration of claims, C. com. R.622-24), its court and
    mandataire judiciaire or liquidateur, and its closing judgment."""

    case = _case("collective_proceedings")
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collective_proceeding",
        verbose_name="jugement d'ouverture enregistré",
    )
    kind = models.CharField("procédure", max_length=20, choices=CollectiveKind.choices)
    opened_on = models.DateField(
        "jugement d'ouverture du", validators=[validate_act_date, validate_not_future]
    )
    bodacc_on = models.DateField(
        "publié au BODACC le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
        help_text="Point de départ du délai de déclaration des créances (C. com. R.622-24).",
    )
    court = _court()
    mandataire = models.CharField(
        "mandataire judiciaire ou liquidateur", max_length=200, blank=True
    )
    closed_on = models.DateField(
        "jugement de clôture du",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    closing_cause = models.CharField(
        "cause de la clôture", max_length=20, choices=ClosingCause.choices, blank=True
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["opened_on", "pk"]
        verbose_name = "procédure collective"
        verbose_name_plural = "procédures collectives"
        constraints = [
            models.CheckConstraint(
                name="collective_kind_valid",
                violation_error_message="Procédure collective inconnue.",
                condition=Q(kind__in=CollectiveKind.values),
            ),
            models.CheckConstraint(
                name="collective_bodacc_after_opening",
                violation_error_message="La publication au BODACC ne peut précéder le jugement "
                "d'ouverture.",
                condition=Q(bodacc_on__isnull=True) | Q(bodacc_on__gte=F("opened_on")),
            ),
            models.CheckConstraint(
                name="collective_closed_after_opening",
                violation_error_message="La clôture ne peut précéder le jugement d'ouverture.",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
            ),
            models.CheckConstraint(
                name="collective_closing_has_cause",
                violation_error_message="Indiquez la date et la cause de la clôture.",
                condition=(Q(closed_on__isnull=True) & Q(closing_cause=""))
                | (Q(closed_on__isnull=False) & ~Q(closing_cause="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ouverte le {self.opened_on:%d/%m/%Y} ({self.court})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def opens_l267(self) -> bool:
        """Closed for insuffisance d'actif: recovery from the debtor is impossible, the way
        to an action against its manager (LPF L.267) is open."""
        return self.closing_cause == ClosingCause.INSUFFISANCE_ACTIF


class ClaimDeclaration(models.Model):
    """The Trésor's declaration of its claims to the mandataire judiciaire or the
    liquidateur (C. com. L.622-24), which meets the critical deadline of R.622-24."""

    case = _case("claim_declarations")
    proceeding = models.ForeignKey(
        CollectiveProceeding,
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name="procédure collective",
    )
    declared_on = models.DateField(
        "déclarée le", validators=[validate_act_date, validate_not_future]
    )
    amount = models.DecimalField("montant déclaré", **MONEY, validators=[non_negative])
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["declared_on", "pk"]
        verbose_name = "déclaration de créance"
        verbose_name_plural = "déclarations de créance"
        constraints = [
            models.CheckConstraint(
                name="claim_declaration_amount_gt_0",
                violation_error_message="Le montant déclaré doit être positif.",
                condition=Q(amount__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"Créance de {euros(self.amount)} déclarée le {self.declared_on:%d/%m/%Y}"


class StoppedAction(models.Model):
    """A pending individual action of the pôle against a debtor stopped by the opening of
    its collective proceeding (C. com. L.622-21), and the liquidateur's subrogation in a
    saisie immobilière it stopped (C. com. L.642-18)."""

    case = _case("stopped_actions")
    proceeding = models.ForeignKey(
        CollectiveProceeding,
        on_delete=models.PROTECT,
        related_name="stopped_actions",
        verbose_name="procédure collective",
    )
    stopped_at = models.DateTimeField("arrêtée le", default=timezone.now)
    subrogated_on = models.DateField(
        "liquidateur subrogé le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    subrogation_note = models.TextField(
        "subrogation : observations", max_length=TEXT_MAX_LENGTH, blank=True
    )
    subrogated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="subrogation saisie par",
    )
    # Issue 17: the opening judgment reversed on recourse, the suspension of L.622-21 falls
    # and the action goes on (`cases.collective.record_reversal`): from that decision's day.
    resumed_on = models.DateField(
        "action reprise le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )

    class Meta:
        ordering = ["stopped_at", "pk"]
        verbose_name = "action individuelle arrêtée"
        verbose_name_plural = "actions individuelles arrêtées"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "proceeding"], name="stopped_action_once_per_proceeding"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} arrêtée par {self.proceeding}"


# --- Money: imputations, costs, the distribution of the price (issue 17, « distrib ») ------


def condemnation(prefix: str = "") -> Q:
    """A decision that condemns to pay an amount (`CONDEMNING_OUTCOMES` with an amount):
    what the dashboards count as a condemnation."""
    return Q(
        **{f"{prefix}outcome__in": sorted(CONDEMNING_OUTCOMES), f"{prefix}amount_awarded__gt": 0}
    )


def _positive_amount(label: str = "montant") -> models.DecimalField:
    return models.DecimalField(
        label,
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"), "Le montant doit être positif.")],
    )


class ClaimImputation(models.Model):
    """The part of a recovery imputed to one claim (C. civ. 1342-10), written once by
    `cases.money.impute`: the claim's remaining amount fell by as much."""

    recovery = models.ForeignKey(
        Recovery, on_delete=models.PROTECT, related_name="imputations", verbose_name="encaissement"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="imputations", verbose_name="créance"
    )
    amount = _positive_amount("montant imputé")
    rule = models.CharField("imputation", max_length=20, choices=ImputationRule.choices)
    created_at = _created_at()

    class Meta:
        ordering = ["recovery", "pk"]
        verbose_name = "imputation d'un encaissement"
        verbose_name_plural = "imputations des encaissements"
        constraints = [
            models.CheckConstraint(
                name="imputation_amount_gt_0",
                violation_error_message="Le montant imputé doit être positif.",
                condition=Q(amount__gt=0),
            ),
            models.UniqueConstraint(
                fields=["recovery", "claim"],
                name="imputation_once_per_claim",
                violation_error_message="Cet encaissement est déjà imputé sur cette créance.",
            ),
        ]

    def __str__(self) -> str:
        return f"{euros(self.amount)} sur {self.claim}"


class Cost(models.Model):
    """What the case cost the State: procedure costs, a lawyer's fees, an invoice."""

    case = _case("costs")
    kind = models.CharField("nature des frais", max_length=20, choices=CostKind.choices)
    amount = _positive_amount()
    incurred_on = models.DateField(
        "date", validators=[validate_act_date, validate_not_future], help_text="Date de la facture."
    )
    label = models.CharField(
        "libellé", max_length=200, blank=True, help_text="Ex. : facture n° 2024-118"
    )
    mandate = models.ForeignKey(
        LawyerMandate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="costs",
        verbose_name="mandat d'avocat",
    )
    invoice = models.ForeignKey(
        Piece,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="facture (pièce)",
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["incurred_on", "pk"]
        verbose_name = "frais"
        verbose_name_plural = "frais"
        constraints = [
            models.CheckConstraint(
                name="cost_amount_gt_0",
                violation_error_message="Le montant des frais doit être positif.",
                condition=Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="cost_kind_valid",
                violation_error_message="Nature de frais inconnue.",
                condition=Q(kind__in=CostKind.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {euros(self.amount)}"

    def clean(self) -> None:
        errors = {}
        if self.mandate_id and self.case_id and self.mandate.case_id != self.case_id:
            errors["mandate"] = "Ce mandat ne concerne pas ce dossier."
        if self.invoice_id and self.case_id and self.invoice.case_id != self.case_id:
            errors["invoice"] = "Cette pièce ne concerne pas ce dossier."
        if errors:
            raise ValidationError(errors)


class Distribution(models.Model):
    """The distribution of the price of a property sold in a saisie immobilière (CPCE
    R.331-1 s.): amicable (R.332-1 s.) or judicial (R.333-1 s.)."""

    case = _case("distributions")
    kind = models.CharField("distribution", max_length=20, choices=DistributionKind.choices)
    status = models.CharField(
        "état",
        max_length=20,
        choices=DistributionStatus.choices,
        default=DistributionStatus.OPEN,
    )
    price = _positive_amount("prix à distribuer")
    opened_on = models.DateField("demandée le", validators=[validate_act_date, validate_not_future])
    project_on = models.DateField(
        "projet notifié (ou état de répartition rendu) le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    contest_until = models.DateField(
        "contestation possible jusqu'au", null=True, blank=True, editable=False
    )
    paid_on = models.DateField(
        "part du Trésor reçue le",
        null=True,
        blank=True,
        validators=[validate_act_date, validate_not_future],
    )
    recovery = models.OneToOneField(
        Recovery,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distribution",
        verbose_name="encaissement",
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["opened_on", "pk"]
        verbose_name = "distribution du prix"
        verbose_name_plural = "distributions du prix"
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=~Q(status=DistributionStatus.PAID),
                name="distribution_one_pending_per_case",
                violation_error_message=(
                    "Une distribution du prix est déjà en cours pour ce dossier."
                ),
            ),
            models.CheckConstraint(
                name="distribution_price_gt_0",
                violation_error_message="Le prix à distribuer doit être positif.",
                condition=Q(price__gt=0),
            ),
            models.CheckConstraint(
                name="distribution_project_after_opening",
                violation_error_message=(
                    "Le projet de distribution ne peut précéder la demande de distribution."
                ),
                condition=Q(project_on__isnull=True) | Q(project_on__gte=F("opened_on")),
            ),
            # Issue 17: the Trésor's share counts as recovered once, when it is paid: the
            # distribution is paid on a date exactly when it says so, and only a paid
            # distribution holds the recovery of its share (`cases.money`).
            models.CheckConstraint(
                name="distribution_paid_on_when_paid",
                violation_error_message=(
                    "Une distribution payée a sa date de paiement, et seulement elle."
                ),
                condition=(Q(status=DistributionStatus.PAID) & Q(paid_on__isnull=False))
                | (~Q(status=DistributionStatus.PAID) & Q(paid_on__isnull=True)),
            ),
            models.CheckConstraint(
                name="distribution_recovery_when_paid",
                violation_error_message=(
                    "La part du Trésor ne se compte comme encaissée qu'une fois payée."
                ),
                condition=Q(recovery__isnull=True) | Q(status=DistributionStatus.PAID),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {euros(self.price)}"

    @property
    def treasury_share(self) -> Decimal:
        return sum(
            (c.allocated or Decimal("0") for c in self.creditors.all() if c.is_treasury),
            Decimal("0"),
        )


class DistributionCreditor(models.Model):
    """A registered creditor (or the pursuing one) in the distribution, with its rank."""

    distribution = models.ForeignKey(
        Distribution,
        on_delete=models.PROTECT,
        related_name="creditors",
        verbose_name="distribution",
    )
    name = models.CharField("créancier", max_length=200)
    security = models.CharField("sûreté", max_length=30, choices=SecurityKind.choices)
    is_treasury = models.BooleanField(
        "le Trésor (ce dossier)",
        default=False,
        help_text="Sa part est encaissée et imputée sur les créances du dossier.",
    )
    declared = _positive_amount("montant déclaré")
    rank = models.PositiveSmallIntegerField(
        "rang", validators=[MinValueValidator(1, "Le rang commence à 1.")]
    )
    allocated = models.DecimalField(
        "montant attribué", **MONEY, null=True, blank=True, validators=[non_negative]
    )
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = "créancier de la distribution"
        verbose_name_plural = "créanciers de la distribution"
        constraints = [
            models.CheckConstraint(
                name="distribution_creditor_declared_gt_0",
                violation_error_message="Le montant déclaré doit être positif.",
                condition=Q(declared__gt=0),
            ),
            models.CheckConstraint(
                name="distribution_creditor_rank_gte_1",
                violation_error_message="Le rang commence à 1.",
                condition=Q(rank__gte=1),
            ),
            models.CheckConstraint(
                name="distribution_creditor_allocated_within_declared",
                violation_error_message=("Un créancier ne reçoit pas plus que ce qu'il a déclaré."),
                condition=Q(allocated__isnull=True)
                | (Q(allocated__gte=0) & Q(allocated__lte=F("declared"))),
            ),
            models.CheckConstraint(
                name="distribution_creditor_tresor_security",
                violation_error_message=(
                    "Le privilège et l'hypothèque légale du Trésor ne garantissent que le Trésor."
                ),
                condition=~Q(security__in=sorted(TRESOR_SECURITIES)) | Q(is_treasury=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name} ({self.get_security_display()})"


# --- The parties of a case (issue 17) ---------------------------------------------------


class Party(models.Model):
    """A party to the case the pôle records on its takeover steps (an acquirer, a
    third-party debtor, a co-owner, a registered creditor, a co-plaintiff…), with its
    residence (the délais de distance, CPC 643-644: deadlines.distance) and its counsel.
    The debtor and the referral's targets (managers, third-party holders) are not copied
    here: they are read as implicit parties (`cases.parties`)."""

    case = _case("parties")
    role = models.CharField("qualité", max_length=30, choices=PartyRole.choices)
    name = models.CharField("nom ou raison sociale", max_length=200)
    address = models.TextField("adresse", max_length=ADDRESS_MAX_LENGTH, blank=True)
    residence = models.CharField(
        "résidence",
        max_length=10,
        choices=Residence.choices,
        default=Residence.METROPOLE,
        help_text="Pour les délais de distance (CPC 643-644) : outre-mer +1 mois, étranger "
        "+2 mois sur les délais d'appel, d'opposition et de comparution.",
    )
    counsel_name = models.CharField("avocat de la partie", max_length=200, blank=True)
    counsel_bar = models.CharField("barreau de son avocat", max_length=150, blank=True)
    created_by = _created_by()
    created_at = _created_at()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "partie"
        constraints = [
            models.CheckConstraint(
                name="party_role_valid",
                violation_error_message="Qualité de partie inconnue.",
                condition=Q(role__in=PartyRole.values),
            ),
            models.CheckConstraint(
                name="party_name_not_blank",
                violation_error_message="Indiquez le nom de la partie.",
                condition=~Q(name=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AccountChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal des comptes ne peut pas être modifié.")

    def delete(self):
        raise AppendOnlyError("Le journal des comptes ne peut pas être supprimé.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des comptes ne peut pas être modifié.")


class AccountChange(models.Model):
    """One change to an account made on the site (/comptes/): who opened, changed,
    disabled which account, put whom on intake duty. Written by `cases.accounts` in the
    change's transaction; append-only (the ORM here, database triggers and the
    application's role on PostgreSQL: `cases/roles.py`)."""

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    # None for what the application records by itself (an absence reaching its last day:
    # `cases.absences.record_lapsed`); `actor_label` then says so.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="auteur",
        null=True,
        blank=True,
    )
    actor_label = models.CharField("auteur (au moment des faits)", max_length=300)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="account_changes",
        verbose_name="compte",
        null=True,
        blank=True,
    )
    # A change to a poste comptable (opened, deactivated: `cases.postes`) names it here
    # and no account.
    poste_comptable = models.ForeignKey(
        PosteComptable,
        on_delete=models.PROTECT,
        related_name="account_changes",
        verbose_name="poste comptable",
        null=True,
        blank=True,
    )
    kind = models.CharField("nature", max_length=20, choices=AccountChangeKind.choices)
    summary = models.CharField("résumé", max_length=300)
    data = models.JSONField("détails", default=dict, blank=True)

    objects = AccountChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "changement de compte"
        verbose_name_plural = "journal des comptes"
        indexes = [models.Index(fields=["account", "at"], name="accountchange_account_at")]
        constraints = [
            models.CheckConstraint(
                name="accountchange_of_account_or_poste",
                violation_error_message="Un changement porte sur un compte ou un poste comptable.",
                condition=Q(account__isnull=False) | Q(poste_comptable__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Le journal des comptes ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des comptes ne peut pas être supprimé.")


class Absence(models.Model):
    """A period a jurist, the head of the pôle or an expert is away (leave, training),
    recorded by the head of the pôle or an administrator on /comptes/<id>/absences/
    (`cases.absences`), and who replaces them. From `starts_on` to `ends_on` included,
    unless ended before (`ended_at`): the replacement sees and takes the absent person's
    steps and receives their notifications; the absent person is off intake duty and given
    no new case (`cases.access`). Two absences of one person never overlap: checked under
    the person's row lock (`cases.absences`), and on PostgreSQL by an exclusion constraint
    (migration 0037)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="absences",
        verbose_name="absent",
    )
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="replacements",
        verbose_name="remplaçant",
    )
    starts_on = models.DateField("du", validators=[validate_act_date])
    ends_on = models.DateField("au (inclus)", validators=[validate_act_date])
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrée par",
    )
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="terminée par",
    )
    # An absence that ran to its last day, not ended before: when the daily task wrote
    # its end in the accounts' journal (`cases.absences.record_lapsed`), once.
    lapse_recorded_at = models.DateTimeField("fin consignée le", null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = "absence"
        verbose_name_plural = "absences"
        indexes = [models.Index(fields=["person", "starts_on"], name="absence_person_start")]
        constraints = [
            models.CheckConstraint(
                name="absence_ends_after_start",
                violation_error_message="La date de fin doit être égale ou postérieure au début.",
                condition=Q(ends_on__gte=F("starts_on")),
            ),
            models.CheckConstraint(
                name="absence_replacement_not_self",
                violation_error_message="Un juriste ne peut pas se remplacer lui-même.",
                condition=~Q(replacement=F("person")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.ended_at is None and self.starts_on <= today <= self.ends_on

    def is_over(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.ended_at is not None or self.ends_on < today


# --- The jurist's workspace (issue 22, « Work ») ------------------------------------------


class CaseNote(models.Model):
    """A note of the pôle on a case (annotation privée): written and read by the pôle and
    the case's expert only (`cases.access.may_read_notes`, `may_write_note`). Never shown
    to the referring side nor to management: not in the history (which they read), not in
    the API, not in any export. Append-only, as the thread: a note is corrected by a later
    one, so what a colleague read stays as they read it."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notes", verbose_name="dossier"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    author_label = models.CharField("auteur (au moment de l'écriture)", max_length=300)
    text = models.TextField("note", max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField("écrite le", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "note du pôle"
        verbose_name_plural = "notes du pôle"
        indexes = [models.Index(fields=["case", "created_at"], name="note_case_created")]
        constraints = [
            models.CheckConstraint(
                name="note_not_blank",
                violation_error_message="Écrivez la note.",
                condition=~Q(text=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d %H:%M} {self.author_label}"


class Label(models.Model):
    """One of the pôle's own labels (« urgent », « à relancer »…), managed by the head,
    put on cases by the pôle; never shown to the referring side nor management
    (`cases.access.may_see_labels`)."""

    name = models.CharField("nom", max_length=50)
    colour = models.CharField(
        "couleur", max_length=30, choices=LabelColour.choices, default=LabelColour.BLUE_ECUME
    )
    cases = models.ManyToManyField(
        Case, through="CaseLabel", related_name="labels", verbose_name="dossiers"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "étiquette"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="label_name_unique",
                violation_error_message="Une étiquette porte déjà ce nom.",
            ),
            models.CheckConstraint(
                name="label_name_not_blank",
                violation_error_message="Indiquez le nom de l'étiquette.",
                condition=~Q(name=""),
            ),
            models.CheckConstraint(
                name="label_colour_valid",
                violation_error_message="Choisissez une couleur de la liste.",
                condition=Q(colour__in=LabelColour.values),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CaseLabel(models.Model):
    """A label put on a case: who put it, when. Deleting a label takes it off its cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    added_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "étiquette d'un dossier"
        verbose_name_plural = "étiquettes des dossiers"
        constraints = [
            models.UniqueConstraint(fields=["case", "label"], name="case_label_once"),
        ]
        indexes = [models.Index(fields=["label", "case"], name="case_label_by_label")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.label_id}"


class CaseFollow(models.Model):
    """A user of the pôle following a case beyond those assigned to them: they are told
    what its assigned jurist is told (`notifications.rules.Audience.FOLLOWERS`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed"
    )
    since = models.DateTimeField("suivi depuis le", default=timezone.now)

    class Meta:
        verbose_name = "dossier suivi"
        verbose_name_plural = "dossiers suivis"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_followed_once")]

    def __str__(self) -> str:
        return f"{self.user_id} suit {self.case_id}"


class SavedView(models.Model):
    """A user's saved view of the case list (« Mes dossiers à échéance sous 15 jours »): its
    filters, sort and columns as the list's query string, re-read through the list's form
    each time it is opened (a filter that no longer exists is simply dropped)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField("nom de la vue", max_length=80)
    query = models.CharField("filtres", max_length=2000, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "vue enregistrée"
        verbose_name_plural = "vues enregistrées"
        constraints = [
            models.UniqueConstraint(
                "user",
                Lower("name"),
                name="saved_view_name_unique",
                violation_error_message="Vous avez déjà une vue de ce nom.",
            ),
            models.CheckConstraint(
                name="saved_view_name_not_blank",
                violation_error_message="Indiquez le nom de la vue.",
                condition=~Q(name=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SearchEntry(models.Model):
    """One searchable text of a case (cases/search.py): its referral, debtor, claims,
    targets, a message, a note, an opinion, a hearing, a piece or a document (its title and
    the text inside its PDF, extracted in the background). `internal` marks the pôle's
    internal work (notes, an opinion before its validation), searched only by those who see
    it (`cases.access.may_search_internal_work`). On PostgreSQL `vector` holds the French
    full-text vector (configuration `pnsr_fr`: french with unaccent), under a GIN index."""

    class TextState(models.TextChoices):
        NONE = "", "Sans fichier"
        PENDING = "pending", "Texte en cours d'extraction"
        DONE = "done", "Texte extrait"
        EMPTY = "empty", "Sans texte"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    source = models.CharField("origine", max_length=20)
    source_id = models.PositiveBigIntegerField("identifiant de l'origine")
    title = models.CharField("titre", max_length=300)
    body = models.TextField("texte", blank=True)
    internal = models.BooleanField("travail interne du pôle", default=False)
    text_state = models.CharField(
        "texte du fichier", max_length=10, choices=TextState.choices, blank=True
    )
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "texte recherchable"
        verbose_name_plural = "textes recherchables"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="search_entry_once")
        ]
        indexes = [models.Index(fields=["case", "source"], name="search_entry_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.source} {self.source_id}"


class ClaimImport(models.Model):
    """An extract of a recovery application uploaded to add claims to a referral
    (cases/claims_import.py): checked by a worker first (every line, the duplicates shown,
    the progress on the page), imported whole on confirmation or not at all. The file is
    kept with what became of it."""

    class Status(models.TextChoices):
        CHECKING = "checking", "En cours de vérification"
        CHECKED = "checked", "Vérifié, à confirmer"
        IMPORTING = "importing", "En cours d'import"
        IMPORTED = "imported", "Importé"
        REFUSED = "refused", "Refusé"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claim_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    file = models.FileField("fichier", upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField("nom du fichier", max_length=255)
    lines = models.PositiveIntegerField("créances", default=0)
    # The progress the page shows: the lines read so far, of about `lines_total` (a CSV's
    # line breaks, an XLSX sheet's declared size; unknown: no total shown).
    lines_done = models.PositiveIntegerField("lignes lues", default=0)
    lines_total = models.PositiveIntegerField("lignes du fichier", null=True, blank=True)
    # When it last moved (received, a batch of lines read, confirmed): a page waiting on it
    # tells the agent when nothing has moved for WAITING_AFTER (no worker took it yet).
    progressed_at = models.DateTimeField("dernier avancement", default=timezone.now)
    # What the check found (the summary shown before confirmation, or the errors), then
    # what the import wrote: cases/claims_import.py `summary`.
    result = models.JSONField("résultat", default=dict, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    imported_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de créances"
        verbose_name_plural = "imports de créances"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.case_id})"

    WAITING_AFTER = datetime.timedelta(minutes=1)

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def waiting(self) -> bool:
        """In progress, and nothing moved for a minute: no worker has it (busy, stopped)."""
        return self.in_progress and self.progressed_at < timezone.now() - self.WAITING_AFTER

    @property
    def percent(self) -> int | None:
        if not self.lines_total:
            return None
        return min(100, round(100 * self.lines_done / self.lines_total))

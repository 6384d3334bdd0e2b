"""What a referral needs before it can leave for the pôle.

`referral_problems` is the single definition of a complete referral: the submit form shows
its messages next to the fields, and the lifecycle refuses `submit` while any remain.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from .enums import LIABLE_PARTNERS, DebtorKind, HolderDeclaration, LegalForm, PieceKind, TargetKind
from .formatting import euros, lower_first
from .models import ALSACE_MOSELLE, Case, PropertyTarget
from .validators import validate_siren

Problems = dict[str, list[str]]
ONE_DAY = datetime.timedelta(days=1)


def _add(problems: Problems, key: str, message: str) -> None:
    problems.setdefault(key, []).append(message)


def referral_problems(case: Case, today: datetime.date | None = None) -> Problems:
    """Every reason the case cannot be submitted, keyed by the field (or section) concerned.

    Keys: case fields ("mode", "action_type", ...), "debtor.<field>", and the sections
    "claims", "target" and "pieces".
    """
    today = today or timezone.localdate()
    problems: Problems = {}
    if not case.mode:
        _add(problems, "mode", "Choisissez ce que vous demandez au pôle.")
    if case.action_type_id is None:
        _add(problems, "action_type", "Choisissez l'action envisagée.")
    if case.poste_comptable_id is None:
        _add(problems, "poste_comptable", "Indiquez le poste comptable qui détient la créance.")
    elif case.poste_comptable.direction_id != case.direction_id:
        _add(problems, "poste_comptable", "Ce poste comptable n'appartient pas à la direction.")
    if not case.facts.strip():
        _add(problems, "facts", "Décrivez la situation du redevable et le recouvrement.")

    _debtor_problems(case, problems, today)
    claims = list(case.claims.all())
    _claim_problems(claims, problems, today)

    action = case.action_type
    if action is not None:
        if action.requires_legal_person and case.debtor.kind != DebtorKind.LEGAL:
            _add(
                problems,
                "debtor.kind",
                f"L'action « {action.label} » vise le dirigeant d'une personne morale : "
                "le redevable doit être une personne morale.",
            )
        # L.267 needs a debt not prescribed (Cass. com. 5 déc. 2000): a prescribed claim
        # is left out of the action (claim_warnings), not a reason to refuse the referral,
        # unless nothing is left to pursue.
        prescribed = [c.is_prescribed(today) for c in claims]
        if action.requires_unprescribed_debt and prescribed and all(prescribed):
            _add(
                problems,
                "claims",
                f"Toutes les créances sont prescrites : l'action « {action.label} » n'est "
                "possible que sur une créance non prescrite (Cass. com. 5 déc. 2000).",
            )
        _target_problems(case, action.target_kind, problems, today)
        _piece_problems(case, case.required_pieces(), problems)
        _manager_problems(case, action.target_kind, problems)
        _holder_problems(case, action.target_kind, problems)
    return problems


def _debtor_problems(case: Case, problems: Problems, today: datetime.date) -> None:
    debtor = case.debtor
    if not debtor.name.strip():
        _add(problems, "debtor.name", "Indiquez la raison sociale ou le nom du redevable.")
    if debtor.kind == DebtorKind.LEGAL:
        if not debtor.siren:
            _add(problems, "debtor.siren", "Le SIREN d'une personne morale est obligatoire.")
        else:
            try:
                validate_siren(debtor.siren)
            except ValidationError as error:
                _add(problems, "debtor.siren", error.messages[0])
    else:
        if not debtor.first_name.strip():
            _add(problems, "debtor.first_name", "Indiquez le prénom du redevable.")
        if debtor.birth_date is None:
            _add(problems, "debtor.birth_date", "Indiquez la date de naissance du redevable.")
        elif debtor.birth_date >= today:
            _add(problems, "debtor.birth_date", "La date de naissance doit être passée.")


def claim_warnings(case: Case, today: datetime.date | None = None) -> list[str]:
    """What the referral form and the case page say of the prescribed claims: excluded
    from an L.267 action, a warning for every other action."""
    today = today or timezone.localdate()
    action = case.action_type if case.action_type_id else None
    excluding = action is not None and action.requires_unprescribed_debt
    warnings = []
    for claim in case.claims.all():
        if not claim.is_prescribed(today):
            continue
        since = f"prescrite depuis le {claim.prescription_date + ONE_DAY:%d/%m/%Y}"
        if excluding:
            warnings.append(
                f"Créance {claim} {since} : exclue de l'action « {action.label} », qui "
                "suppose une dette non prescrite (Cass. com. 5 déc. 2000) ; elle n'entre "
                "ni dans les montants en jeu ni dans les actes."
            )
        else:
            warnings.append(
                f"Créance {claim} {since} : vérifiez qu'aucun acte interruptif ne manque "
                "avant d'engager l'action sur elle."
            )
    return warnings


def _claim_problems(claims: list, problems: Problems, today: datetime.date) -> None:
    if not claims:
        _add(problems, "claims", "Ajoutez au moins une créance.")
        return
    if sum(c.remaining for c in claims) <= 0:
        _add(problems, "claims", "Le reste à recouvrer total doit être positif.")
    for claim in claims:
        for message in claim.nature_problems().values():
            _add(problems, "claims", f"Créance {claim} : {lower_first(message)}")
        if claim.assessment_date > today:
            _add(
                problems,
                "claims",
                f"Créance {claim} : la date de mise en recouvrement ne peut pas être "
                "dans le futur.",
            )
        if claim.last_interruptive_act and claim.last_interruptive_act > today:
            _add(
                problems,
                "claims",
                f"Créance {claim} : la date du dernier acte interruptif ne peut pas être "
                "dans le futur.",
            )


def _target_problems(
    case: Case, target_kind: str, problems: Problems, today: datetime.date
) -> None:
    if target_kind == TargetKind.PROPERTY and not case.properties.exists():
        _add(
            problems,
            "target",
            "Décrivez le bien à saisir : adresse, commune, département et références cadastrales.",
        )
    elif target_kind == TargetKind.MANAGER and not case.managers.exists():
        _add(problems, "target", "Identifiez le dirigeant mis en cause.")
    elif target_kind == TargetKind.THIRD_PARTY:
        holders = list(case.holders.all())
        if not holders:
            _add(
                problems,
                "target",
                "Identifiez le tiers détenteur et la SATD (date et montant).",
            )
        for holder in holders:
            if holder.satd_date > today:
                _add(problems, "target", "La date de la SATD ne peut pas être dans le futur.")
    for prop in case.properties.all():
        for message in land_register_problems(prop).values():
            _add(
                problems, "target", f"Bien {prop.address}, {prop.commune} : {lower_first(message)}"
            )


# --- Alsace-Moselle: the livre foncier --------------------------------------------------

LAND_REGISTER_MISSING = {
    "land_register_commune": "Indiquez le ban communal du livre foncier",
    "land_register_section": "Indiquez la section portée au livre foncier",
    "land_register_sheet": "Indiquez le numéro de feuillet du livre foncier",
}


def land_register_problems(prop: PropertyTarget) -> dict[str, str]:
    """A property in Moselle, Bas-Rhin or Haut-Rhin is designated by its livre foncier
    (the requête en exécution forcée comes with « une copie du livre foncier », loi du 1er
    juin 1924, art. 141 al. 2, 3°): its ban communal, section and feuillet are required
    there, never elsewhere. Keyed by field."""
    if (prop.departement or "").upper() not in ALSACE_MOSELLE:
        return {}
    return {
        field: f"{message} : le bien est situé en Alsace-Moselle (département "
        f"{prop.departement}), où la propriété immobilière est inscrite au livre foncier."
        for field, message in LAND_REGISTER_MISSING.items()
        if not (getattr(prop, field) or "").strip()
    }


def missing_piece_kinds(case: Case | None) -> list[str]:
    """The required pieces of the case's action not attached yet, in the action's order
    (Alsace-Moselle's own: `Case.required_pieces`)."""
    if case is None or not case.action_type_id:
        return []
    present = {p.kind for p in case.pieces.all()} if case.pk else set()
    return [code for code in case.required_pieces() if code not in present]


def next_piece_kinds(case: Case | None, count: int) -> list[str]:
    """What `count` new pieces of a case most likely are: its missing required pieces
    in order, then « Autre pièce »."""
    return (missing_piece_kinds(case) + [PieceKind.AUTRE] * count)[:count]


def _piece_problems(case: Case, required: list[str], problems: Problems) -> None:
    present = {piece.kind for piece in case.pieces.all()}
    for code in required:
        if code not in present:
            _add(problems, "pieces", f"Pièce manquante : {PieceKind(code).label}.")


# --- Issue 17 (« holder »): L.267's conditions, the third-party holder, the pieces ------


def _manager_problems(case: Case, target_kind: str, problems: Problems) -> None:
    """LPF L.267 al. 1 reaches the manager « qui n'est pas déjà tenu au paiement des dettes
    sociales en application d'une autre disposition »: refused when he is, or when the
    company's form makes its partners liable and the referral does not say whether he is
    one of them; a de facto manager needs what establishes it."""
    if target_kind != TargetKind.MANAGER:
        return
    debtor = case.debtor
    liable_form = (
        LIABLE_PARTNERS.get(debtor.legal_form) if debtor.kind == DebtorKind.LEGAL else None
    )
    for manager in case.managers.all():
        if manager.already_liable:
            _add(
                problems,
                "target",
                f"{manager} est déjà tenu des dettes sociales à un autre titre : l'article "
                "L.267 du LPF ne vise que le dirigeant qui « n'est pas déjà tenu au paiement "
                "des dettes sociales en application d'une autre disposition ». Poursuivez-le "
                "à ce titre ou choisissez une autre action.",
            )
        elif liable_form and manager.already_liable is None:
            _add(
                problems,
                "target",
                f"Forme juridique « {LegalForm(debtor.legal_form).label} » : {liable_form}. "
                f"Précisez si {manager} en est associé, donc déjà tenu des dettes sociales "
                "(champ « déjà tenu des dettes sociales à un autre titre » ; LPF art. L.267 "
                "al. 1).",
            )
        if manager.de_facto and not manager.de_facto_evidence.strip():
            _add(
                problems,
                "target",
                f"{manager} est présenté comme dirigeant de fait : décrivez les actes positifs "
                "de gestion qui l'établissent.",
            )


def _holder_problems(case: Case, target_kind: str, problems: Problems) -> None:
    if target_kind != TargetKind.THIRD_PARTY:
        return
    for holder in case.holders.all():
        if holder.declaration == HolderDeclaration.DECLARED and holder.obligation is None:
            _add(
                problems,
                "target",
                f"{holder.name} a déclaré l'étendue de ses obligations : indiquez les sommes "
                "qu'il devait au redevable à la date de la SATD (il n'est poursuivi que dans "
                "leur limite, LPF art. L.262).",
            )


def action_warnings(case: Case) -> list[str]:
    """What the referral form and the case page say of what the action's law asks and
    the file may lack: not a refusal (the pôle judges), but said before it is asked."""
    action = case.action_type if case.action_type_id else None
    if action is None:
        return []
    warnings = _recommended_piece_warnings(case, action.recommended_pieces)
    if action.target_kind == TargetKind.MANAGER:
        warnings += _manager_warnings(case)
    if action.target_kind == TargetKind.THIRD_PARTY:
        warnings += _holder_warnings(case)
    return warnings


def _recommended_piece_warnings(case: Case, groups: list) -> list[str]:
    present = {piece.kind for piece in case.pieces.all()}
    warnings = []
    for group in groups:
        codes = [group] if isinstance(group, str) else list(group)
        if not present.intersection(codes):
            labels = [PieceKind(code).label for code in codes]
            either = ", ".join(labels[:-1]) + " ou " + labels[-1] if len(labels) > 1 else labels[0]
            warnings.append(f"Pièce recommandée : {either}.")
    return warnings


def _manager_warnings(case: Case) -> list[str]:
    warnings = []
    debtor = case.debtor
    if debtor.kind == DebtorKind.LEGAL and not debtor.legal_form:
        warnings.append(
            "Indiquez la forme juridique de la société : l'article L.267 du LPF ne vise pas "
            "le dirigeant déjà tenu des dettes sociales (associé d'une SNC, d'une société "
            "civile…)."
        )
    present = {piece.kind for piece in case.pieces.all()}
    claims = list(case.claims.all())
    for manager in case.managers.all():
        if manager.de_facto and PieceKind.PREUVE_GESTION_FAIT not in present:
            warnings.append(
                f"Joignez les preuves de la gestion de fait de {manager} "
                f"(« {PieceKind.PREUVE_GESTION_FAIT.label} »)."
            )
        if manager.mandate_from is None and manager.mandate_to is None:
            warnings.append(
                f"Indiquez les dates du mandat de {manager} : il doit couvrir la période des "
                "manquements reprochés."
            )
            continue
        for claim in claims:
            if outside_mandate(manager, claim):
                warnings.append(
                    f"Créance {claim} : sa période est hors du mandat de {manager} "
                    f"({mandate_label(manager)}) ; les manquements doivent lui être "
                    "imputables pendant qu'il dirigeait la société (LPF art. L.267)."
                )
    return warnings


def outside_mandate(manager, claim) -> bool:
    """Whether the claim's period (when it can be read) lies wholly outside the manager's
    mandate (LPF L.267: the breaches are his, made while he ran the company); an unknown
    start or end leaves that side open."""
    bounds = claim_period_bounds(claim.period)
    if bounds is None:
        return False
    start = manager.mandate_from or datetime.date.min
    end = manager.mandate_to or datetime.date.max
    return bounds[1] < start or bounds[0] > end


def mandate_label(manager) -> str:
    """« du 01/02/2019 au 30/06/2023 », « du 01/02/2019, toujours en fonctions »,
    « jusqu'au 30/06/2023 »."""
    if manager.mandate_from is None:
        return f"jusqu'au {manager.mandate_to:%d/%m/%Y}"
    since = f"du {manager.mandate_from:%d/%m/%Y}"
    if manager.mandate_to is None:
        return f"{since}, toujours en fonctions"
    return f"{since} au {manager.mandate_to:%d/%m/%Y}"


YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
QUARTER = re.compile(r"(?i)(?<![a-z0-9])(?:T([1-4])|([1-4])T)\s*[-/ ]?\s*((?:19|20)\d{2})(?!\d)")
MONTH = re.compile(r"(?<!\d)(0?[1-9]|1[0-2])\s*/\s*((?:19|20)\d{2})(?!\d)")


def claim_period_bounds(period: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of a claim's period as the referral writes it: « 2022 »,
    « 2021-2022 », « T3 2023 », « 03/2024 »; None when no year can be read."""
    if match := QUARTER.search(period):
        quarter, year = int(match.group(1) or match.group(2)), int(match.group(3))
        first = datetime.date(year, 3 * quarter - 2, 1)
        last = _month_end(year, 3 * quarter)
        return first, last
    if match := MONTH.search(period):
        month, year = int(match.group(1)), int(match.group(2))
        return datetime.date(year, month, 1), _month_end(year, month)
    years = [int(y) for y in YEAR.findall(period)]
    if not years:
        return None
    return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - ONE_DAY


def _holder_warnings(case: Case) -> list[str]:
    warnings = []
    for holder in case.holders.all():
        missing = []
        if holder.notified_on is None:
            missing.append("la date de notification de la SATD au tiers")
        if holder.denounced_on is None:
            missing.append("la date de sa notification au redevable")
        if not holder.declaration:
            missing.append("si le tiers a déclaré l'étendue de ses obligations")
        if holder.obligation is None and holder.declaration != HolderDeclaration.NOT_DECLARED:
            missing.append("les sommes qu'il devait au redevable à la date de la SATD")
        if missing:
            warnings.append(f"{holder.name} : indiquez {_and(missing)}.")
        if holder.limited_by_obligation:
            warnings.append(
                f"{holder.name} ne devait que {euros(holder.obligation)} au redevable à la "
                f"date de la SATD : l'action ne lui réclame que cette somme, dans la limite de "
                "son obligation (LPF art. L.262, CPCE art. L.211-2), et non "
                f"{euros(holder.satd_amount)}."
            )
    return warnings


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def flatten(problems: Problems) -> list[str]:
    return [message for messages in problems.values() for message in messages]

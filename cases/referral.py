"""What a referral needs before it can leave for the pôle.

`referral_problems` is the single definition of a complete referral: the submit form shows
its messages next to the fields, and the lifecycle refuses `submit` while any remain.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from .enums import DebtorKind, PieceKind, TargetKind
from .formatting import lower_first
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


def _piece_problems(case: Case, required: list[str], problems: Problems) -> None:
    present = {piece.kind for piece in case.pieces.all()}
    for code in required:
        if code not in present:
            _add(problems, "pieces", f"Pièce manquante : {PieceKind(code).label}.")


def flatten(problems: Problems) -> list[str]:
    return [message for messages in problems.values() for message in messages]

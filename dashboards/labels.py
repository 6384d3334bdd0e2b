"""What the cases behind a figure are, in words: the filters and the figure's
parameters, for the heading of the list."""

from __future__ import annotations

from cases.enums import (
    CaseStatus,
    ClosureReason,
    DecisionOutcome,
    Instance,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    ReturnGround,
)
from cases.formatting import long_date
from cases.models import User
from workflows.models import TARGETED_STEPS
from workflows.process import PROCESS

from .figures import HORIZONS, NONE, PRESCRIPTION_BUCKETS, BadParameter
from .filters import Filters, bucket_label, parse_bucket


def _choice(choices):
    def label(value: str) -> str:
        if value == "" and choices is OpinionFollow:
            return "suite non encore indiquée"
        try:
            return choices(value).label
        except ValueError:
            raise BadParameter(value) from None

    return label


def _from(pairs):
    mapping = dict(pairs)

    def label(value: str) -> str:
        if value not in mapping:
            raise BadParameter(value)
        return mapping[value].lower()

    return label


def _model(model, none_label: str = ""):
    def label(value: str) -> str:
        if value == NONE and none_label:
            return none_label
        obj = model.objects.filter(pk=value).first()
        if obj is None:
            raise BadParameter(value)
        return str(obj)

    return label


def _bucket(value: str) -> str:
    parsed = parse_bucket(value)
    if parsed is None:
        raise BadParameter(value)
    return bucket_label(*parsed)


def _closure(value: str) -> str:
    return "non clos" if value == "" else ClosureReason(value).label


PARAMETERS = {
    "periode": ("Période", _bucket),
    "conclusion": ("Conclusion", _choice(OpinionConclusion)),
    "suite": ("Suite donnée", _choice(OpinionFollow)),
    "suivi": ("Suite donnée", lambda v: "avis suivi en tout ou partie"),
    "auteur": ("Auteur de l'avis", _model(User)),
    "statut": ("Situation", _choice(CaseStatus)),
    "cloture": ("Clôture", _closure),
    "motif": ("Motif du renvoi", _choice(ReturnGround)),
    "attribution": ("Juriste", _model(User, "non attribué")),
    "sens": ("Sens de la décision", _choice(DecisionOutcome)),
    "instance": ("Instance", _choice(Instance)),
    "echeance": ("Échéance", _from(HORIZONS)),
    "prescription": ("Prescription", _from(PRESCRIPTION_BUCKETS)),
    "etape": ("Étape", _from([(step, PROCESS[step].title) for step in TARGETED_STEPS])),
    "retard": ("Délai cible", _from([("oui", "Dépassé")])),
}


def describe(f: Filters, params: dict[str, str], dated: bool = True) -> list[tuple[str, str]]:
    """[(what, value)] for the heading; BadParameter for a value that names nothing."""
    details = []
    for name, value in params.items():
        if name not in PARAMETERS:
            raise BadParameter(name)
        label, resolve = PARAMETERS[name]
        details.append((label, resolve(value)))
    if dated:
        scope = [("Période des filtres", f"du {long_date(f.start)} au {long_date(f.end)}")]
    else:
        scope = [("Situation", f"à ce jour ({long_date(f.today)})")]
    for label, value in (
        ("Direction", f.direction),
        ("Action", f.action_type),
        ("Demande", Mode(f.mode).label if f.mode else None),
        ("Juriste", f.jurist),
    ):
        if value and label not in {d[0] for d in details}:
            scope.append((label, str(value)))
    return details + scope

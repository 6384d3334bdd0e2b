"""The data snapshot a document is rendered from, and whether it can be produced now.

`build_snapshot(case, kind)` gathers what the document shows, already formatted for French
print, as a JSON-serialisable dict: the part every document shares (documents.data.common)
and the part of its kind (documents.kinds). It is deterministic: the same case gives the
same dict (no generation time, no database ids), so its hash tells whether a document must
be generated again, and it is stored with each version. A kind that has a date of its own
(`as_of(case)` in its module: the receipt's decision, the pleading's act) shows the case as
it stood then.

`applicability(case, kind)` says whether the document can be produced now: None, or the
French sentence saying why not yet.
"""

from __future__ import annotations

from types import ModuleType

from cases.models import Case

from .data import common
from .enums import DocumentKind
from .kinds import KINDS


def _kind(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise ValueError(f"Type de document inconnu : {kind!r}")
    return KINDS[kind]


def build_snapshot(
    case: Case, kind: str, *, sections: list[dict] | None = None, choice: dict | None = None
) -> dict:
    """What the document of this kind shows for this case (see the module's docstring);
    `sections`, for the draft pleadings only: the sections as the jurist edited them;
    `choice`, for the bordereau only: the hearing it is for and the pieces it lists."""
    module = _kind(kind)
    moment = getattr(module, "as_of", None)
    snapshot = common(case, kind, moment(case) if moment else None)
    if kind == DocumentKind.PROJET_ECRITURES:
        snapshot.update(module.part(case, sections))
    elif kind == DocumentKind.BORDEREAU:
        snapshot.update(module.part(case, choice))
    else:
        snapshot.update(module.part(case))
    return snapshot


def applicability(case: Case, kind: str) -> str | None:
    """None if the document can be produced now, else why not yet (French)."""
    return _kind(kind).not_yet(case)

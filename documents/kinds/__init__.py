"""One module per kind of document, each with the two things that make the kind:

- `not_yet(case)`: None when the document can be produced now, else the French sentence
  saying why not yet;
- `part(case)`: what this document shows besides the common part (documents.data.common),
  as plain data formatted for print. The draft pleadings' `part` also takes the sections
  the jurist edited (None: the default draft).

documents.context puts them together (`build_snapshot`, `applicability`)."""

from types import ModuleType

from ..enums import DocumentKind
from . import (
    accuse,
    avis,
    bordereau,
    compte_rendu,
    compte_rendu_adjudication,
    projet_ecritures,
    saisine_avocat,
)

KINDS: dict[str, ModuleType] = {
    DocumentKind.AVIS: avis,
    DocumentKind.ACCUSE: accuse,
    DocumentKind.SAISINE_AVOCAT: saisine_avocat,
    DocumentKind.PROJET_ECRITURES: projet_ecritures,
    DocumentKind.COMPTE_RENDU: compte_rendu,
    DocumentKind.BORDEREAU: bordereau,
    DocumentKind.COMPTE_RENDU_ADJUDICATION: compte_rendu_adjudication,
}

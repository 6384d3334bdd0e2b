"""Lost updates through the API: a case's representation carries its draft's version as
an ETag; a PATCH sent with If-Match is applied only to that version (services.save_referral
checks it under the case's row lock), and answered 412 otherwise. If-Match is optional: a
PATCH without it is applied to whatever is current (the API's behaviour before ETags)."""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status

from cases import formatting
from cases.models import Case
from cases.services import StaleReferral

from .exceptions import Refused

_ETAG = re.compile(r'^"v(\d{1,9})"$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='Facultatif. L\'ETag du dossier lu (GET), par ex. « "v3" » : la '
    "modification n'est appliquée que si personne n'a modifié le dossier depuis ; sinon "
    "412. « * » accepte toute version. Sans cet en-tête, la modification s'applique à la "
    "version courante.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="La version des données modifiables du dossier, à renvoyer dans If-Match.",
)


def etag(case: Case) -> str:
    return f'"v{case.version}"'


def expected_version(request) -> int | None:
    """The version named by If-Match; None when the header is absent or is « * »."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return None
    match = _ETAG.match(header)
    if match is None:
        raise Refused(
            "L'en-tête If-Match ne désigne pas une version de ce dossier : renvoyez l'ETag "
            'exact de la dernière lecture (GET), par ex. « "v3" ».',
            status_code=status.HTTP_412_PRECONDITION_FAILED,
        )
    return int(match.group(1))


def precondition_failed(stale: StaleReferral) -> Refused:
    return Refused(
        f"Le dossier a été modifié entre-temps par {stale.by} le "
        f"{formatting.long_datetime(stale.at)} : rien n'a été enregistré. Relisez le dossier "
        "(GET, nouvel ETag), reportez-y vos modifications, puis renvoyez-les avec If-Match.",
        status_code=status.HTTP_412_PRECONDITION_FAILED,
        current_etag=f'"v{stale.version}"',
    )

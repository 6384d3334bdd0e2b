"""Two API clients changing the same draft: If-Match carries the version each one read
(the ETag of its GET); the one that saves second, on a version already replaced, gets a
412 in French and changes nothing."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.api.conftest import client_for
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users):
    return CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )


def test_second_client_patching_an_older_version_gets_412(draft, users):
    url = reverse("api:case", args=[draft.reference])
    first, second = client_for(users["poste_agent"]), client_for(users["direction_agent"])
    read_first, read_second = first.get(url), second.get(url)
    assert read_first["ETag"] == read_second["ETag"] == '"v1"'

    saved = first.patch(url, {"facts": "Par le poste."}, format="json", HTTP_IF_MATCH='"v1"')
    assert saved.status_code == 200, saved.json()
    assert saved["ETag"] == '"v2"'

    refused = second.patch(
        url, {"facts": "Par la direction."}, format="json", HTTP_IF_MATCH=read_second["ETag"]
    )
    assert refused.status_code == 412
    body = refused.json()
    assert body["detail"].startswith("Le dossier a été modifié entre-temps par ")
    assert "Relisez le dossier" in body["detail"]
    assert body["current_etag"] == '"v2"'
    draft.refresh_from_db()
    assert draft.facts == "Par le poste." and draft.version == 2

    # Read again, then send again with the new ETag: applied.
    etag = second.get(url)["ETag"]
    retried = second.patch(url, {"facts": "Par la direction."}, format="json", HTTP_IF_MATCH=etag)
    assert retried.status_code == 200 and retried["ETag"] == '"v3"'
    assert Case.objects.get(pk=draft.pk).facts == "Par la direction."


def test_if_match_is_optional_and_a_star_matches_any_version(draft, api):
    url = reverse("api:case", args=[draft.reference])
    client = api("poste_agent")
    assert client.patch(url, {"facts": "Sans en-tête."}, format="json").status_code == 200
    star = client.patch(url, {"facts": "Étoile."}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200 and star["ETag"] == '"v3"'


def test_an_unreadable_if_match_is_refused_in_french(draft, api):
    url = reverse("api:case", args=[draft.reference])
    for header in ('W/"v1"', "v1", '"1"'):
        refused = api("poste_agent").patch(url, {"facts": "x"}, format="json", HTTP_IF_MATCH=header)
        assert refused.status_code == 412
        assert "ETag exact" in refused.json()["detail"]
    draft.refresh_from_db()
    assert draft.version == 1 and draft.facts != "x"


def test_the_schema_documents_if_match_and_412(api):
    schema = api("poste_agent").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    patch = schema["paths"]["/api/v1/cases/{reference}/"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"] if p["in"] == "header"]
    assert "412" in patch["responses"]
    assert "ETag" in patch["responses"]["200"]["headers"]

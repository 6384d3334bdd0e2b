"""Claims imported from an extract of the recovery application (issue 24): checked line by
line in French, nothing imported when a line is refused, the duplicates shown before the
confirmation, the claims keeping their source reference and their prescription computed."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from cases.enums import CaseStatus, SourceApplication
from cases.models import CaseEvent, Claim, ClaimImport, SearchEntry
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

EXAMPLE = (settings.BASE_DIR / "docs" / "import-creances.csv").read_bytes()
HEADER = (
    "impot;nature;periode;date_mise_en_recouvrement;date_envoi_amr;droits;penalites;"
    "reste_a_recouvrer;dernier_acte_interruptif;reference_source;application"
)


@pytest.fixture
def draft(users):
    agent = users["poste_agent"]
    return CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)


def _upload(client, case, content: bytes, name="extrait.csv"):
    """The upload, checked by the worker once the request commits (the tests' task backend
    runs it at once), then the page the browser is sent to."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("cases:claims_import", args=[case.reference]),
            {"file": SimpleUploadedFile(name, content)},
        )
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def _confirm(client, case):
    pending = ClaimImport.objects.get(case=case, status=ClaimImport.Status.CHECKED)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("cases:claims_import_confirm", args=[case.reference, pending.pk])
        )
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_example_file_is_checked_then_imported_on_confirmation(client, users, draft):
    before = draft.claims.count()
    client.force_login(users["poste_agent"])
    checked = _upload(client, draft, EXAMPLE)
    page = checked.content.decode()
    assert checked.status_code == 200
    assert "3 créances" in page and "Rien n'est encore importé" in page
    assert draft.claims.count() == before  # nothing yet
    response = _confirm(client, draft)
    assert response.status_code == 302 and response["Location"].endswith("/modifier/")
    imported = Claim.objects.filter(case=draft).exclude(source_reference="")
    assert {c.source_reference for c in imported} == {
        "RAR-2024-000123",
        "RAR-2024-000456",
        "RAR-2023-009871",
    }
    tva = imported.get(source_reference="RAR-2024-000123")
    assert tva.principal == Decimal("48250.00") and tva.remaining == Decimal("53075.00")
    assert tva.source_application == SourceApplication.RAR
    # LPF L.274: four years from the AMR's last interruptive act — computed for the case.
    assert tva.prescription_date is not None
    assert CaseEvent.objects.filter(case=draft, summary__contains="3 créances importées").exists()
    assert SearchEntry.objects.filter(source="claim", source_id=tva.pk).exists()
    assert ClaimImport.objects.get(case=draft).status == ClaimImport.Status.IMPORTED
    # The same confirmation sent again imports nothing more.
    again = client.post(
        reverse("cases:claims_import_confirm", args=[draft.reference, ClaimImport.objects.get().pk])
    )
    assert again.status_code == 404
    assert imported.count() == 3


def test_one_refused_line_refuses_the_file_each_error_named(client, users, draft):
    before = draft.claims.count()
    content = "\n".join(
        [
            HEADER,
            "TVA;impot_amr;2023;15/01/2024;16/01/2024;1 000,00;0;1 000,00;;R-1;RAR",
            "TVA;impot_amr;2023;15/01/2024;16/01/2024;mille;0;1 000,00;;R-2;RAR",
            "IS;impot_amr;2023;15/02/2024;16/02/2024;500;0;900;;R-3;RAR",
            "XYZ;impot_amr;2023;15/01/2024;;500;0;400;;R-4;SAP",
            "IS;impot_amr;2023;31/02/2024;;500;0;400;;R-5;RAR",
        ]
    ).encode()
    client.force_login(users["poste_agent"])
    response = _upload(client, draft, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rien n&#x27;a été importé" in page or "Rien n'a été importé" in page
    assert "Ligne 3, colonne « droits » : Saisissez un montant en euros" in page
    assert "Ligne 6, colonne « date_mise_en_recouvrement »" in page
    assert (
        "Ligne 4, colonne « reste_a_recouvrer » : Le reste à recouvrer ne peut pas dépasser" in page
    )
    assert "Ligne 5, colonne « impot » : « XYZ » n&#x27;est pas un impôt connu." in page
    assert "Ligne 5, colonne « application »" in page
    assert draft.claims.count() == before
    assert ClaimImport.objects.get().status == ClaimImport.Status.REFUSED
    # A refused file cannot be confirmed.
    refused = ClaimImport.objects.get()
    url = reverse("cases:claims_import_confirm", args=[draft.reference, refused.pk])
    assert client.post(url).status_code == 404


def test_a_file_without_the_columns_says_which_are_missing(client, users, draft):
    client.force_login(users["poste_agent"])
    page = _upload(client, draft, b"impot;periode;montant\nTVA;2023;100\n").content.decode()
    assert "Colonnes manquantes" in page and "« nature »" in page and "« droits »" in page


def test_a_windows_encoded_csv_and_an_xlsx_are_read(client, users, draft):
    line = "TVA;impot_amr;Régul. été 2023;15/01/2024;16/01/2024;1 000,00;0;1 000,00;;R-é1;AMD"
    client.force_login(users["poste_agent"])
    assert _upload(client, draft, f"{HEADER}\n{line}\n".encode("cp1252")).status_code == 200
    _confirm(client, draft)
    assert draft.claims.filter(period="Régul. été 2023", source_reference="R-é1").exists()

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "IS",
            "impot_amr",
            "2022",
            "20/03/2024",
            "21/03/2024",
            2500.5,
            0,
            2500.5,
            "",
            "X-9",
            "ROCSP",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    assert _upload(client, draft, out.getvalue(), name="extrait.xlsx").status_code == 200
    _confirm(client, draft)
    assert draft.claims.get(source_reference="X-9").principal == Decimal("2500.50")


def test_the_duplicates_are_shown_before_confirmation(client, users, draft):
    client.force_login(users["poste_agent"])
    _upload(client, draft, EXAMPLE)
    _confirm(client, draft)
    page = _upload(client, draft, EXAMPLE).content.decode()
    assert "3 créances ressemblent à une créance déjà connue" in page
    assert "RAR-2024-000123" in page


def test_only_the_referring_side_imports_and_only_while_it_edits(client, users, draft):
    client.force_login(users["jurist"])
    assert _upload(client, draft, EXAMPLE).status_code in (403, 404)
    submitted = CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(submitted.created_by)
    assert _upload(client, submitted, EXAMPLE).status_code == 403
    assert not ClaimImport.objects.exists()


def _lines(count: int) -> bytes:
    rows = [
        f"TVA;impot_amr;{2000 + n % 20};15/01/2024;16/01/2024;{100 + n},00;0;{100 + n},00;;"
        f"R-{n};RAR"
        for n in range(count)
    ]
    return "\n".join([HEADER, *rows]).encode()


def test_the_page_shows_the_progress_while_the_worker_reads_the_file(client, users, draft):
    client.force_login(users["poste_agent"])
    # The request commits; the worker has not started yet.
    response = client.post(
        reverse("cases:claims_import", args=[draft.reference]),
        {"file": SimpleUploadedFile("gros.csv", _lines(1200))},
    )
    pending = ClaimImport.objects.get()
    assert response["Location"] == reverse(
        "cases:claims_import_status", args=[draft.reference, pending.pk]
    )
    assert pending.status == ClaimImport.Status.CHECKING and pending.lines_total == 1201
    page = client.get(response["Location"]).content.decode()
    assert "Vérification du fichier « gros.csv »" in page
    assert "0 ligne lue sur 1 201 environ" in page  # thousands grouped, in French
    assert 'max="1201" value="0"' in page

    # The worker tells how far it is, every PROGRESS_EVERY lines; the page's script reads it.
    from cases import claims_import

    seen = []
    claims_import.check(draft, "gros.csv", _lines(1200), progress=seen.append)
    assert seen == [500, 1000]
    ClaimImport.objects.filter(pk=pending.pk).update(lines_done=1000)
    assert client.get(response["Location"] + "?format=json").json() == {
        "status": "checking",
        "lines_done": 1000,
        "lines_total": 1201,
        "waiting": False,
    }
    page = client.get(response["Location"]).content.decode()
    assert "1\u202f000 lignes lues sur 1\u202f201 environ" in page
    assert claims_import.process(pending.pk) == ClaimImport.Status.CHECKED
    page = client.get(response["Location"]).content.decode()
    assert "1\u202f200 créances" in page and "Les 50 premières lignes sur 1\u202f200" in page
    assert "Importer les 1\u202f200 créances" in page
    # The worker run twice (a second worker, a retry) checks nothing again.
    assert claims_import.process(pending.pk) == ClaimImport.Status.CHECKED
    assert client.get(response["Location"] + "?format=json").json()["status"] == "checked"


def test_a_case_sent_before_the_worker_imports_is_not_changed(client, users, draft):
    client.force_login(users["poste_agent"])
    _upload(client, draft, EXAMPLE)
    pending = ClaimImport.objects.get()
    client.post(reverse("cases:claims_import_confirm", args=[draft.reference, pending.pk]))
    assert ClaimImport.objects.get().status == ClaimImport.Status.IMPORTING
    # Meanwhile the case leaves the referring side's hands.
    from cases import claims_import

    ClaimImport.objects.filter(pk=pending.pk).update(uploaded_by=users["jurist"])
    ClaimImport.objects.filter(pk=pending.pk).update(confirmed_by=users["jurist"])
    assert claims_import.process(pending.pk) == ClaimImport.Status.REFUSED
    assert not draft.claims.exclude(source_reference="").exists()
    assert ClaimImport.objects.get().result["errors"] == [
        "Le dossier n'est plus modifiable (il a été transmis entre-temps)."
    ]


def test_a_file_nobody_has_taken_for_a_minute_says_so_and_is_kept(client, users, draft):
    """No worker running (stopped, all busy): the page says the file waits and is kept,
    instead of a progress bar that stays at 0 forever; the script asks less often."""
    import datetime

    from django.utils import timezone

    client.force_login(users["poste_agent"])
    response = client.post(
        reverse("cases:claims_import", args=[draft.reference]),
        {"file": SimpleUploadedFile("extrait.csv", EXAMPLE)},
    )
    url = response["Location"]
    page = client.get(url).content.decode()
    assert (
        'id="import-waiting" class="fr-alert fr-alert--info fr-alert--sm fr-mb-2w" hidden' in page
    )
    assert client.get(url + "?format=json").json()["waiting"] is False
    ClaimImport.objects.update(progressed_at=timezone.now() - datetime.timedelta(seconds=61))
    assert client.get(url + "?format=json").json()["waiting"] is True
    page = client.get(url).content.decode()
    assert 'fr-mb-2w" hidden' not in page and "Le traitement attend un serveur de tâches" in page
    # A worker takes it at last: checked, no longer waiting.
    from cases import claims_import

    assert claims_import.process(ClaimImport.objects.get().pk) == ClaimImport.Status.CHECKED
    assert client.get(url + "?format=json").json()["waiting"] is False


def test_an_unreadable_stored_file_is_refused_in_french_not_left_checking(client, users, draft):
    from cases import claims_import

    client.force_login(users["poste_agent"])
    response = client.post(
        reverse("cases:claims_import", args=[draft.reference]),
        {"file": SimpleUploadedFile("extrait.csv", EXAMPLE)},
    )
    pending = ClaimImport.objects.get()
    pending.file.storage.delete(pending.file.name)  # lost from the storage
    assert claims_import.process(pending.pk) == ClaimImport.Status.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "n&#x27;a pas pu être relu sur le serveur" in page or "n'a pas pu être relu" in page
    assert client.get(response["Location"] + "?format=json").json()["status"] == "refused"
    assert not draft.claims.exclude(source_reference="").exists()


def test_an_error_while_importing_refuses_the_file_and_imports_nothing(
    client, users, draft, monkeypatch
):
    from cases import claims_import

    client.force_login(users["poste_agent"])
    _upload(client, draft, EXAMPLE)
    pending = ClaimImport.objects.get()
    client.post(reverse("cases:claims_import_confirm", args=[draft.reference, pending.pk]))
    before = draft.claims.count()

    real = Claim.objects.bulk_create

    def half_then_fail(objs, *args, **kwargs):
        real(list(objs)[:1], *args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Claim.objects, "bulk_create", half_then_fail)
    with pytest.raises(RuntimeError):
        claims_import.process(pending.pk)
    pending.refresh_from_db()
    assert pending.status == ClaimImport.Status.REFUSED
    assert f"l'import n° {pending.pk}" in pending.result["errors"][0]
    assert draft.claims.count() == before  # the one line written was rolled back

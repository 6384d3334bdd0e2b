"""The README's API example, as written there, refers a case that reaches the pôle: the
JSON body, the pieces' kinds, the submission body are read from README.md."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus, PieceKind
from cases.pieces import sample_pdf

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def example() -> str:
    text = README.read_text()
    start = text.index("TOKEN=pnsr_")
    return text[start : text.index("```", start)]


def test_the_readme_example_refers_a_case_to_the_pole(api):
    script = example()
    body = json.loads(re.search(r"<<'JSON'\n(.*?)\nJSON\n", script, re.S).group(1))
    kinds = re.search(r"for kind in ([a-z_ ]+); do", script).group(1).split()
    submit_body = json.loads(
        re.search(r"-d '(\{.*?\})' \"\$API/cases/\$REF/submit/\"", script).group(1)
    )

    client = api("poste_agent")  # comptable.ddfip02's role and poste (SIE de Laon, 002010)
    created = client.post(reverse("api:cases"), body, format="json")
    assert created.status_code == 201, created.json()
    reference = created.json()["reference"]
    assert set(created.json()["problems"]) == {"pieces"}

    for kind in kinds:
        upload = SimpleUploadedFile(f"{kind}.pdf", sample_pdf(PieceKind(kind).label))
        response = client.post(
            reverse("api:pieces", args=[reference]),
            {"kind": kind, "file": upload},
            format="multipart",
        )
        assert response.status_code == 201, response.json()

    submitted = client.post(reverse("api:submit", args=[reference]), submit_body, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == CaseStatus.SUBMITTED
    listed = client.get(reverse("api:cases"), {"status": "submitted"}).json()
    assert reference in json.dumps(listed)
    assert client.get(reverse("api:step", args=[reference])).status_code == 200
    assert client.get(reverse("api:history", args=[reference])).status_code == 200

"""An upload that comes without a name (a client may send none) gets the French refusal
of an unknown format, not a crash (cases.pieces.check_upload)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.pieces import check_upload, sample_pdf


def test_an_upload_without_a_name_is_refused_in_french():
    upload = SimpleUploadedFile("x.pdf", sample_pdf("Sans nom"), content_type="application/pdf")
    upload.name = None
    with pytest.raises(ValidationError) as refused:
        check_upload(upload)
    assert "n'est pas accepté. Formats acceptés : PDF" in refused.value.messages[0]

"""HTML to PDF: the one place that calls WeasyPrint.

Documents are PDF/A-3a (archival, tagged for accessibility), with the fonts of the
French State design system embedded (Marianne, Spectral, shipped by django-dsfr), and
title, author and subject metadata taken from the HTML head."""

from pathlib import Path

import dsfr
import weasyprint
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/a-3a"
AUTHOR = "Pôle national de soutien au réseau — actions lourdes (PNSR)"
FONTS_DIR = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"


def fonts() -> dict[str, str]:
    """file:// URLs of the embedded fonts, for the templates' @font-face rules."""
    return {
        name.replace("-", "_").lower(): (FONTS_DIR / f"{name}.woff2").as_uri()
        for name in (
            "Marianne-Regular",
            "Marianne-Bold",
            "Marianne-Regular_Italic",
            "Spectral-Regular",
            "Spectral-ExtraBold",
        )
    }


def render_html(kind: str, snapshot: dict, meta: dict) -> str:
    """The document's HTML: templates/documents/<kind>.html with the data snapshot `s`
    and the version's `meta` (reference, kind label, version, date, fonts)."""
    return render_to_string(
        f"documents/{kind}.html",
        {"s": snapshot, "meta": {**meta, "fonts": fonts(), "author": AUTHOR}},
    )


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(pdf_variant=PDF_VARIANT)

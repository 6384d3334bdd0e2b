"""HTML to PDF: the one place that calls WeasyPrint.

Documents are PDF/A-3a (archival, tagged for accessibility), with the fonts of the
French State design system embedded (Marianne, Spectral, shipped by django-dsfr), and
title, author and subject metadata taken from the HTML head.

WeasyPrint fetches only our own assets: `AssetFetcher` opens file:// URLs under the
bundled fonts and the project's static files and refuses anything else (http, https,
data:, any other file), whatever a template or a case's content may reference.

It hands WeasyPrint the WOFF2 fonts already decompressed, each decompressed once per
process (`decompressed_font`): WeasyPrint would otherwise decompress them at every
rendering, about 60 % of a PDF's time (issue 21). The fonts embedded are the same bytes:
WeasyPrint decompresses them with the same function (fontTools' woff2)."""

from __future__ import annotations

import datetime
import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import dsfr
import weasyprint
from django.conf import settings
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from fontTools.ttLib import woff2
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cases.formatting import long_date

from .enums import DocumentKind

if TYPE_CHECKING:
    from cases.models import Case

    from .models import Document

PDF_VARIANT = "pdf/a-3a"
AUTHOR = "Pôle national de soutien au réseau — actions lourdes (PNSR)"
FONTS_DIR = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"


class AssetFetcher(URLFetcher):
    """WeasyPrint's fetcher restricted to files under `roots` (resolved: no `..` nor
    symbolic link leads out of them)."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"})
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Not one of the project's assets: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"Not one of the project's assets: {url}")
        if path.suffix.lower() == ".woff2":
            stat = path.stat()
            font = decompressed_font(str(path), stat.st_mtime_ns, stat.st_size)
            return URLFetcherResponse(path.as_uri(), font)
        return super().fetch(path.as_uri(), headers)


@functools.lru_cache(maxsize=32)
def decompressed_font(path: str, mtime_ns: int, size: int) -> bytes:
    """The TrueType/OpenType font of a WOFF2 file (what WeasyPrint itself would write),
    kept for the process's next renderings; the file's date and size in the key, so that
    a font replaced on the disk is read again."""
    out = io.BytesIO()
    with open(path, "rb") as handle:
        woff2.decompress(handle, out)
    return out.getvalue()


def asset_fetcher() -> AssetFetcher:
    """The bundled fonts and the project's own static folder (pnsr/static)."""
    return AssetFetcher([FONTS_DIR, Path(settings.BASE_DIR) / "pnsr" / "static"])


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


def meta_for(case: Case, kind: str, *, version: int, on: datetime.date | None = None) -> dict:
    """What every page of a document shows besides its data: reference, kind, version
    (0: a copy rendered outside the versions, by the command) and the date (`on`, else
    today)."""
    return {
        "reference": case.reference,
        "kind": kind,
        "kind_label": DocumentKind(kind).label,
        "version": version or "hors série",
        "generated_on": long_date(on or timezone.localdate()),
    }


def version_html(document: Document) -> str:
    """The HTML of a version, which its PDF and its editable copies are made from, each in
    its own task: dated the day its rendering was claimed (`Document.claimed_at`), so that
    the copies made afterwards show the PDF's date."""
    on = timezone.localdate(document.claimed_at) if document.claimed_at else None
    meta = meta_for(document.case, document.kind, version=document.version, on=on)
    return render_html(document.kind, document.snapshot, meta, source=document.template_source)


def template_context(snapshot: dict, meta: dict) -> dict:
    """What a document's template is given: the data snapshot `s` and the version's `meta`
    (reference, kind label, version, date, fonts). documents.templating checks an edited
    template's variables against these names."""
    return {"s": snapshot, "meta": {**meta, "fonts": fonts(), "author": AUTHOR}}


def file_template_name(kind: str) -> str:
    return f"documents/{kind}.html"


def file_source(kind: str) -> str:
    """The text of the kind's template file (version 0 of its template)."""
    return get_template(file_template_name(kind)).template.source


def render_html(kind: str, snapshot: dict, meta: dict, *, source: str | None = None) -> str:
    """The document's HTML: templates/documents/<kind>.html, or the text `source` of a
    template version the head of the pôle wrote (documents.TemplateVersion), rendered
    with `template_context`."""
    context = template_context(snapshot, meta)
    if source is None:
        return render_to_string(file_template_name(kind), context)
    return engines["django"].from_string(source).render(context)


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(
        string=html, base_url=str(FONTS_DIR), url_fetcher=asset_fetcher()
    ).write_pdf(pdf_variant=PDF_VARIANT)

"""WeasyPrint fetches the bundled fonts and nothing else: a document whose HTML (a
template, or a case's content if it ever got through) references a web address, a local
file or a data: URL renders without fetching it. The WOFF2 fonts reach it decompressed,
once per process, and are embedded as a bare WeasyPrint rendering embeds them."""

import base64
import hashlib
import http.server
import io
import threading
from unittest import mock

import pikepdf
import pypdf
import pytest
import weasyprint
from fontTools.ttLib import woff2
from PIL import Image

from documents import render
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import FONTS_DIR, asset_fetcher, fonts, html_to_pdf, render_html
from tests.documents import meta, with_opinion


@pytest.fixture
def web_server():
    """A local web server that counts the requests it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()
    thread.join()


def _png(path) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    path.write_bytes(out.getvalue())
    return out.getvalue()


def _images(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sum(len(page.get_images()) for page in document.pages)


def _html(body: str, head: str = "") -> str:
    font = fonts()["marianne_regular"]
    return (
        '<html lang="fr"><head><meta charset="utf-8"><title>Essai</title>'
        f'<style>@font-face {{ font-family: "Marianne"; src: url("{font}"); }}'
        f'body {{ font-family: "Marianne"; }}</style>{head}</head><body>{body}</body></html>'
    )


def test_web_addresses_are_not_fetched(web_server):
    base, hits = web_server
    html = _html(
        f'<p>Texte</p><img src="{base}/image.png">',
        f'<link rel="stylesheet" href="{base}/style.css">'
        f"<style>@import url({base}/import.css); p {{ background: url({base}/fond.png); }}</style>",
    )
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert hits == []


def test_local_files_outside_the_assets_are_not_fetched(tmp_path):
    image = tmp_path / "secret.png"
    _png(image)
    html = _html(
        f'<img src="{image.as_uri()}"><img src="file:///etc/passwd">'
        f'<img src="{(FONTS_DIR / ".." / ".." / ".." / ".." / "__init__.py").as_uri()}">'
    )
    assert _images(html_to_pdf(html)) == 0


def test_data_urls_are_not_fetched(tmp_path):
    encoded = base64.b64encode(_png(tmp_path / "red.png")).decode()
    assert _images(html_to_pdf(_html(f'<img src="data:image/png;base64,{encoded}">'))) == 0


def test_the_bundled_fonts_are_still_embedded():
    with pikepdf.open(io.BytesIO(html_to_pdf(_html("<p>Texte</p>")))) as document:
        names = {
            str(font.get("/BaseFont"))
            for page in document.pages
            for font in page.Resources.Font.values()
        }
    assert any("Marianne" in name for name in names)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://example.org/font.woff2",
        "file:///etc/passwd",
        "file://evil.example/share/x.css",
        (FONTS_DIR / ".." / "secret.woff2").as_uri(),
        "data:text/css,p{color:red}",
        "ftp://example.org/x",
    ],
)
def test_the_fetcher_refuses_anything_but_the_assets(url):
    with pytest.raises(ValueError, match="Not one of the project's assets"):
        asset_fetcher().fetch(url)


def test_the_fetcher_opens_a_bundled_font_decompressed():
    response = asset_fetcher().fetch(fonts()["marianne_bold"])
    try:
        assert response.read(4) == b"OTTO"  # OpenType, no longer WOFF2
    finally:
        response.close()


def _all_fonts_html() -> str:
    faces = "".join(
        f'@font-face {{ font-family: "F{i}"; src: url("{url}") format("woff2"); }}'
        f".f{i} {{ font-family: F{i}; }}"
        for i, url in enumerate(fonts().values())
    )
    paragraphs = "".join(f'<p class="f{i}">Créance n° {i} : 1 234,56 €</p>' for i in range(5))
    return (
        f'<html lang="fr"><head><meta charset="utf-8"><title>Essai</title><style>{faces}'
        f"</style></head><body>{paragraphs}</body></html>"
    )


def _embedded_fonts(pdf: bytes) -> dict[str, str]:
    """Each embedded font program's SHA-256, by the font's name."""
    found = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for item in document.objects:
            if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/FontDescriptor":
                program = item.get("/FontFile2") or item.get("/FontFile3")
                found[str(item.FontName)] = hashlib.sha256(program.read_bytes()).hexdigest()
    return found


def test_the_fonts_are_decompressed_once_per_process_and_embedded_unchanged():
    html = _all_fonts_html()
    bare = weasyprint.HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(
        pdf_variant=render.PDF_VARIANT
    )
    render.decompressed_font.cache_clear()
    with mock.patch.object(woff2, "decompress", wraps=woff2.decompress) as decompress:
        first, second = html_to_pdf(html), html_to_pdf(html)
    # Five fonts, decompressed for the first rendering only (WeasyPrint alone: at each).
    assert decompress.call_count == 5
    assert len(_embedded_fonts(bare)) == 5
    assert _embedded_fonts(first) == _embedded_fonts(second) == _embedded_fonts(bare)


@pytest.mark.django_db
def test_a_case_whose_content_names_addresses_renders_without_fetching_them(
    users, web_server, tmp_path
):
    """The opinion of a case whose facts hold markup pointing at a web address and a local
    file: printed as text, neither fetched."""
    base, hits = web_server
    image = tmp_path / "secret.png"
    _png(image)
    case = with_opinion(users)
    case.facts = (
        f'<img src="{base}/facts.png"><link rel="stylesheet" href="{base}/x.css">'
        f'<img src="{image.as_uri()}"> Les SATD sont restées infructueuses.'
    )
    case.save(update_fields=["facts"])
    kind = DocumentKind.AVIS
    pdf = html_to_pdf(render_html(kind, build_snapshot(case, kind), meta(case, kind)))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "facts.png" in text  # printed as text
    assert hits == []
    assert _images(pdf) == 0

"""The formats of a document: its PDF, and its editable copies (ODT and DOCX, which the
lawyer reworks in a word processor) made by pandoc from the very HTML the PDF was rendered
from — the same snapshot, the same template, the same date. Only the print stylesheet and
the running header and footer (the PDF's page furniture) are left out: the headings,
paragraphs, lists, tables, the PROJET banner and the signature block come through.

The copies are made after the PDF, by their own background task (documents/copies.py), and
kept beside it (the model `EditableCopy`: immutable, their SHA-256 checked at each
download, as the PDF's), so that a copy downloaded years later shows what the PDF of that
version shows."""

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypandoc
from lxml import html as lxml_html

from .enums import EditableFormat


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    label: str


PDF = "pdf"
FORMATS: dict[str, Format] = {
    PDF: Format("pdf", "application/pdf", "PDF"),
    EditableFormat.ODT: Format(
        "odt", "application/vnd.oasis.opendocument.text", EditableFormat.ODT.label
    ),
    EditableFormat.DOCX: Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        EditableFormat.DOCX.label,
    ),
}

# Page furniture of the PDF (repeated on every page by the print stylesheet): in a word
# processor's document they would be stray first lines.
PRINT_ONLY = ("running-header", "running-footer")
# Blocks kept as named paragraph styles of the word processor (pandoc's custom-style),
# defined in documents/styles/ as the PDF's stylesheet draws them.
STYLED_BLOCKS = {
    "issuer": "Émetteur",
    "recipients": "Destinataires",
    "object": "Objet",
    "note": "Encadré",
    "warning": "Avertissement",
    "signature": "Signature",
}
STYLES_DIR = Path(__file__).parent / "styles"
# Where each format keeps its styles, and the end of the list they are added to.
STYLES_PART = {
    EditableFormat.ODT: ("styles.xml", "</office:styles>"),
    EditableFormat.DOCX: ("word/styles.xml", "</w:styles>"),
}


class UnknownFormat(ValueError):
    pass


def from_extension(path: str | Path) -> str:
    """The format named by a file's extension (.pdf, .odt, .docx); UnknownFormat (its
    message in French) for any other."""
    suffix = Path(path).suffix.lower().lstrip(".")
    for name, spec in FORMATS.items():
        if spec.extension == suffix:
            return name
    known = ", ".join(f".{spec.extension}" for spec in FORMATS.values())
    shown = f"« .{suffix} »" if suffix else "aucune extension"
    raise UnknownFormat(
        f"Format de fichier inconnu ({shown}) : l'extension choisit le format, parmi {known}."
    )


def editable_html(html: str) -> str:
    """The document's HTML as the word processor is to receive it: without the print
    stylesheet and the page furniture; the PROJET stamp and the rows' header cells in
    bold; the letterhead, the object line, the notes and warnings, the signature block as
    named paragraph styles."""
    tree = lxml_html.document_fromstring(html)
    # The head's title and author would open the document as a second title page.
    for element in tree.xpath("//style | //script | //link | //head/title | //head/meta[@name]"):
        element.drop_tree()
    for name in PRINT_ONLY:
        for element in tree.find_class(name):
            element.drop_tree()
    for stamp in tree.find_class("stamp"):
        stamp.tag = "strong"
    # A row's header cell is bold in the PDF; a word processor's table would not say so.
    for cell in tree.xpath("//tbody/tr/th | //tfoot/tr/th"):
        strong = lxml_html.Element("strong")
        strong.text, cell.text = cell.text, None
        strong.extend(list(cell))
        cell.append(strong)
    for name, style in STYLED_BLOCKS.items():
        for element in tree.find_class(name):
            if element.tag != "div":  # pandoc names the style of a div's paragraphs only
                wrapper = lxml_html.Element("div")
                element.addprevious(wrapper)
                wrapper.append(element)
                element = wrapper
            element.set("data-custom-style", style)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


@functools.cache
def reference_document(file_format: str) -> bytes:
    """pandoc's own reference document for the format (its styles), with ours added
    (documents/styles/<format>.xml). The ODT's mimetype stays its first entry, stored."""
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", f"reference.{file_format}"],
        capture_output=True,
        check=True,
    ).stdout
    part, end = STYLES_PART[file_format]
    ours = (STYLES_DIR / f"{file_format}.xml").read_text(encoding="utf-8")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(default)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == part:
                content = content.decode("utf-8").replace(end, ours + end, 1).encode("utf-8")
            target.writestr(entry, content, compress_type=entry.compress_type)
    return buffer.getvalue()


def convert(html: str, file_format: str) -> bytes:
    """The ODT or DOCX of a document's HTML (pandoc, sandboxed: it reads nothing but the
    HTML it is given and the reference document of our styles, fetches nothing)."""
    if file_format not in EditableFormat.values:
        raise UnknownFormat(f"Pas un format modifiable : {file_format}.")
    with tempfile.TemporaryDirectory(prefix="pnsr-format-") as folder:
        reference = Path(folder) / f"reference.{file_format}"
        reference.write_bytes(reference_document(file_format))
        output = Path(folder) / f"document.{file_format}"
        pypandoc.convert_text(
            editable_html(html),
            file_format,
            format="html",
            outputfile=str(output),
            extra_args=["--sandbox", f"--reference-doc={reference}"],
        )
        return output.read_bytes()

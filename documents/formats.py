"""The formats of a document: its PDF, and its editable copies (ODT and DOCX, which the
lawyer reworks in a word processor) made by pandoc from the very HTML the PDF was rendered
from — the same snapshot, the same template, the same date. Only the print stylesheet and
the running header and footer (the PDF's page furniture) are left out: the headings,
paragraphs, lists, tables, the PROJET banner and the signature block come through.

The copies are made with the PDF, by the background worker, and kept beside it (the model
`EditableCopy`: immutable, their SHA-256 checked at each download, as the PDF's), so that a
copy downloaded years later shows what the PDF of that version shows."""

from __future__ import annotations

import tempfile
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
# Blocks kept as named paragraph styles of the word processor (pandoc's custom-style).
STYLED_BLOCKS = {"signature": "Signature", "warning": "Avertissement", "object": "Objet"}


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
    stylesheet and the page furniture; the PROJET stamp in bold; the signature block, the
    warnings and the object line as named paragraph styles."""
    tree = lxml_html.document_fromstring(html)
    # The head's title and author would open the document as a second title page.
    for element in tree.xpath("//style | //script | //link | //head/title | //head/meta[@name]"):
        element.drop_tree()
    for name in PRINT_ONLY:
        for element in tree.find_class(name):
            element.drop_tree()
    for stamp in tree.find_class("stamp"):
        stamp.tag = "strong"
    for name, style in STYLED_BLOCKS.items():
        for element in tree.find_class(name):
            if element.tag != "div":  # pandoc names the style of a div's paragraphs only
                wrapper = lxml_html.Element("div")
                element.addprevious(wrapper)
                wrapper.append(element)
                element = wrapper
            element.set("data-custom-style", style)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def convert(html: str, format: str) -> bytes:
    """The ODT or DOCX of a document's HTML (pandoc, sandboxed: it reads nothing but the
    HTML it is given, fetches nothing)."""
    if format not in EditableFormat.values:
        raise UnknownFormat(f"Pas un format modifiable : {format}.")
    with tempfile.TemporaryDirectory(prefix="pnsr-format-") as folder:
        output = Path(folder) / f"document.{format}"
        pypandoc.convert_text(
            editable_html(html),
            format,
            format="html",
            outputfile=str(output),
            extra_args=["--sandbox"],
        )
        return output.read_bytes()

"""`python manage.py generate_document CASE_REFERENCE KIND --output FILE`: render a case's
document from its current data into FILE, as a PDF, an ODT or a DOCX after FILE's
extension (for scripts and checks; the application keeps its versions through the case's
documents page and the workflow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from cases.commands import FrenchCommand
from cases.models import Case

from ... import context, formats, render, templating
from ...enums import DocumentKind

KINDS = ", ".join(DocumentKind.values)


class Command(FrenchCommand):
    help = (
        "Produit un document d'un dossier à partir de ses données actuelles (sans créer de "
        "version), en PDF, ODT ou DOCX selon l'extension du fichier écrit. "
        f"KIND : {KINDS}."
    )
    usage = (
        "Usage : manage.py generate_document REFERENCE "
        f"({'|'.join(DocumentKind.values)}) --output FICHIER"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", nargs="?", help="référence du dossier (PNSR-AAAA-NNNNNN)")
        parser.add_argument("kind", nargs="?", help=f"document : {KINDS}")
        parser.add_argument(
            "--output", "-o", metavar="FICHIER", help="fichier à écrire (.pdf, .odt ou .docx)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference, kind, output = options["reference"], options["kind"], options["output"]
        if not reference or not kind:
            raise self.usage_error("Indiquez la référence du dossier et le document.")
        if not output:
            raise self.usage_error("Indiquez le fichier à écrire avec --output.")
        if kind not in DocumentKind.values:
            raise self.usage_error(f"Document inconnu : « {kind} ». Documents : {KINDS}.")
        try:
            file_format = formats.from_extension(output)
        except formats.UnknownFormat as error:
            raise self.usage_error(str(error)) from None
        case = Case.objects.filter(reference=reference.strip().upper()).first()
        if case is None:
            raise self.usage_error(f"Dossier introuvable : « {reference} ».")
        reason = context.applicability(case, kind)
        if reason:
            raise self.usage_error(
                f"{DocumentKind(kind).label} impossible pour {case.reference} : {reason}"
            )
        snapshot = context.build_snapshot(case, kind)
        template = templating.current(kind, case.action_type_id)  # as a new version would
        html = render.render_html(
            kind,
            snapshot,
            render.meta_for(case, kind, version=0),
            source=template.body if template else None,
        )
        if file_format == formats.PDF:
            content = render.html_to_pdf(html)
        else:
            content = formats.convert(html, file_format)
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise self.usage_error(
                f"Impossible d'écrire « {output} » : {error.strerror}."
            ) from None
        self.stdout.write(f"{path} ({len(content)} octets)")

"""`make bench-documents`: the cost of pnsr's document generation against WeasyPrint alone.

For each kind of document, on the demo data (a throwaway SQLite database under a temporary
folder, loaded by seed_demo through the application's own paths), measures in the same run:

- pnsr: what the background worker does for one version's PDF — the data snapshot, the
  HTML from the templates, the PDF/A rendering, storing the file and its hash, saving the
  rows and queuing the editable copies (made afterwards by their own task,
  documents/copies.py, not counted here);
- WeasyPrint alone: `HTML(string=the same HTML).write_pdf()` with the same PDF variant,
  WeasyPrint's own fetcher decompressing the WOFF2 fonts at each rendering;
- PDF alone: `documents.render.html_to_pdf` on the same HTML, the call pnsr makes (its
  fetcher hands WeasyPrint the fonts decompressed once per process): pnsr minus this is
  pnsr's own cost (snapshot, rows, file);
- ODT, DOCX: each copy's conversion alone (`documents.formats.convert` on the same HTML),
  what the copies' task runs after the PDF;
- signature: the PAdES signature of the PDF alone (`documents.signing`, with the demo's
  self-signed certificate written by seed_demo, no timestamping server), and its check
  (`signing.verify`, what the signature page does). The worker signs the versions that
  are not drafts after rendering them; the pnsr column is measured without a certificate
  configured, so that the ratio is the rendering's, the signature's cost shown beside it.

Reports the median of several runs of each and the ratio of the first two (target:
within 1.2×)."""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time

# Measured locally, over plain HTTP and without DEBUG (pnsr.settings asks to be told).
os.environ.setdefault("ALLOW_PLAIN_HTTP", "1")
REPEAT = int(os.environ.get("BENCH_REPEAT", 15))
TARGET = 1.2


def pnsr(case, kind: str, head, run: int) -> tuple[float, str]:
    """A new version, rendered and stored as the worker does: its time, and its HTML."""
    from documents import context, render, services
    from documents.models import Document

    start = time.perf_counter()
    snapshot = context.build_snapshot(case, kind)
    document = Document.objects.create(
        case=case,
        kind=kind,
        version=1000 + run,
        snapshot=snapshot,
        inputs_sha256=services.inputs_hash(snapshot),
        requested_by=head,
    )
    services.generate(document.pk)
    elapsed = time.perf_counter() - start
    document.refresh_from_db()
    assert document.status == "ready", document.error
    meta = render.meta_for(case, kind, version=document.version)
    return elapsed, render.render_html(kind, snapshot, meta)


def weasyprint_alone(html: str) -> tuple[float, bytes]:
    import weasyprint

    from documents import render

    start = time.perf_counter()
    pdf = weasyprint.HTML(string=html, base_url=str(render.FONTS_DIR)).write_pdf(
        pdf_variant=render.PDF_VARIANT
    )
    return time.perf_counter() - start, pdf


def pdf_alone(html: str) -> float:
    from documents import render

    start = time.perf_counter()
    render.html_to_pdf(html)
    return time.perf_counter() - start


def conversion(html: str, file_format: str) -> float:
    from documents import formats

    start = time.perf_counter()
    formats.convert(html, file_format)
    return time.perf_counter() - start


def signature(pole, pdf: bytes) -> tuple[float, float]:
    """The time to sign the PDF, and to check the signed file."""
    from documents import signing

    start = time.perf_counter()
    signed = pole.sign(pdf)
    middle = time.perf_counter()
    assert signing.verify(signed, pole=pole).valid
    return middle - start, time.perf_counter() - middle


def measure(case, kind: str, head) -> tuple[list[float], list[float], dict, bytes]:
    """REPEAT timings of each, after a warm-up (templates, fonts) that is not counted;
    which goes first alternates, so that neither always profits from warm caches. The PDF
    alone and the copies' conversions are timed alone, after the pair."""
    from documents.enums import EditableFormat

    _, html = pnsr(case, kind, head, 0)
    weasyprint_alone(html)
    app_times, base_times = [], []
    copy_times = {name: [] for name in ("pdf", *EditableFormat.values)}
    for run in range(1, REPEAT + 1):
        if run % 2:
            app, html = pnsr(case, kind, head, run)
            base, pdf = weasyprint_alone(html)
        else:
            base, pdf = weasyprint_alone(html)
            app, _ = pnsr(case, kind, head, run)
        app_times.append(app)
        base_times.append(base)
        copy_times["pdf"].append(pdf_alone(html))
        for file_format in EditableFormat.values:
            copy_times[file_format].append(conversion(html, file_format))
    return app_times, base_times, copy_times, pdf


def html_to_pdf_sample() -> bytes:
    from documents import render

    return render.html_to_pdf('<html lang="fr"><head><title>Essai</title></head><p>Texte</p>')


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="pnsr-bench-")
    os.environ["PNSR_VAR_DIR"] = workdir
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    os.environ["PNSR_SIGNING_P12"] = ""  # the pnsr column unsigned: the signature apart
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pnsr.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", verbosity=0, stdout=quiet)

    import pypdf

    from cases.models import Case, User
    from demo.certificate import PASSWORD, demo_path
    from documents import context, signing
    from documents.enums import DocumentKind

    head = User.objects.get(username="chef.pole")
    pole = signing.PoleSigner(demo_path().read_bytes(), PASSWORD)
    signature(pole, html_to_pdf_sample())  # warm-up
    print(
        f"Documents : pnsr (le PDF d'une version) contre WeasyPrint seul, médiane de "
        f"{REPEAT} rendus ; PDF seul : render.html_to_pdf (polices décompressées une fois "
        f"par processus) ; ODT, DOCX : la conversion de chaque copie seule (leur tâche)\n"
    )
    columns = (
        f"{'pages':>6}{'pnsr (ms)':>11}{'WeasyPrint (ms)':>17}{'ratio':>8}"
        f"{'PDF seul (ms)':>15}{'ODT (ms)':>10}{'DOCX (ms)':>11}{'signature (ms)':>16}"
        f"{'vérification (ms)':>19}"
    )
    print(f"{'document':<34}{'dossier':<18}{columns}")
    worst = 0.0
    for kind in DocumentKind:
        case = next(
            (c for c in Case.objects.order_by("pk") if not context.applicability(c, kind.value)),
            None,
        )
        if case is None:
            print(f"{kind.label:<34}aucun dossier de démonstration ne s'y prête")
            continue
        app_times, base_times, copy_times, pdf = measure(case, kind.value, head)
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        signing_times = [signature(pole, pdf) for _ in range(REPEAT)]
        app, base = statistics.median(app_times), statistics.median(base_times)
        ratio = app / base
        worst = max(worst, ratio)
        print(
            f"{kind.label:<34}{case.reference:<18}{pages:>6}{app * 1000:>11.0f}"
            f"{base * 1000:>17.0f}{ratio:>8.2f}"
            f"{statistics.median(copy_times['pdf']) * 1000:>15.0f}"
            f"{statistics.median(copy_times['odt']) * 1000:>10.0f}"
            f"{statistics.median(copy_times['docx']) * 1000:>11.0f}"
            f"{statistics.median(t for t, _ in signing_times) * 1000:>16.0f}"
            f"{statistics.median(t for _, t in signing_times) * 1000:>19.0f}"
        )
    verdict = "dans la cible" if worst <= TARGET else "HORS CIBLE"
    print(f"\nRatio le plus élevé : {worst:.2f} (cible ≤ {TARGET}) — {verdict}.")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

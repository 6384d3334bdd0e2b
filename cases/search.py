"""Full-text search across the cases (`/recherche/`, issue 22 « Find »).

Each searchable thing of a case — its referral (reference, debtor, SIREN, facts, request),
a claim, a target, a message, a note, an opinion, a hearing, a piece, a document — is one
`SearchEntry`, written in the same transaction as the thing itself (a post_save signal per
registered model; the documents app registers its documents in its `ready()`). A stored
PDF's text is extracted by `db_worker` (`extract_file_text`, enqueued after the commit):
until then the entry is « en cours d'extraction », and a scanned PDF without a text layer is
marked « sans texte ».

On PostgreSQL the search is French full text with accents folded (configuration `pnsr_fr`,
cases migration 0039), ranked, the passage found highlighted (`ts_headline`); SQLite, which
has neither, finds the entries containing every word typed (case folded) and shows the
start of the text. Who sees what is `cases.access`: the cases the user may see, and the
pôle's internal work only to those who see it.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import access
from .models import (
    Case,
    CaseNote,
    Claim,
    Debtor,
    Hearing,
    ManagerTarget,
    Message,
    Opinion,
    Piece,
    PropertyTarget,
    SearchEntry,
    ThirdPartyHolderTarget,
    User,
)

logger = logging.getLogger(__name__)
CONFIG = "pnsr_fr"
BODY_MAX = 200_000  # characters of a file's text kept for the search
RESULTS_MAX = 50


@dataclass(frozen=True)
class Source:
    name: str
    label: str  # what a result says it found (« Message », « Pièce »…)
    case: Callable[[models.Model], Case | None]
    title: Callable[[models.Model], str]
    body: Callable[[models.Model], str]
    internal: Callable[[models.Model], bool] = lambda obj: False
    file: Callable[[models.Model], object] | None = None  # a stored PDF whose text counts


_sources: dict[type[models.Model], Source] = {}


def register(model: type[models.Model], source: Source) -> None:
    """Index `model`'s rows: each save writes its entry, each deletion removes it."""
    _sources[model] = source
    uid = f"cases.search.{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def indexes(model: type[models.Model]) -> bool:
    """Whether `model`'s rows have search entries (for the writers in bulk)."""
    return model in _sources


def _join(*parts) -> str:
    return " ".join(str(part) for part in parts if part not in (None, ""))


def _debtor_text(debtor: Debtor) -> str:
    return _join(debtor.name, debtor.first_name, debtor.siren)


def _debtor_saved(sender, instance: Debtor, raw=False, **kwargs) -> None:
    """The debtor is part of each of its cases' entry (one debtor, many cases:
    cases/debtors.py): rewrite them."""
    if raw:
        return
    for case in Case.objects.filter(debtor=instance):
        index(case)


def register_kernel() -> None:
    """The kernel's sources (called by `CasesConfig.ready`)."""
    register(
        Case,
        Source(
            "case",
            "Saisine",
            case=lambda c: c,
            title=lambda c: _join(c.reference, c.debtor if c.debtor_id else ""),
            body=lambda c: _join(
                c.reference, _debtor_text(c.debtor) if c.debtor_id else "", c.facts, c.request
            ),
        ),
    )
    post_save.connect(_debtor_saved, sender=Debtor, dispatch_uid="cases.search.debtor")
    register(
        Claim,
        Source(
            "claim",
            "Créance",
            case=lambda c: c.case,
            title=lambda c: _join("Créance", c.tax, c.period),
            body=lambda c: _join(c.tax, c.get_nature_display(), c.period),
        ),
    )
    register(
        PropertyTarget,
        Source(
            "property",
            "Bien immobilier",
            case=lambda p: p.case,
            title=lambda p: _join(p.address, p.postal_code, p.commune),
            body=lambda p: _join(
                p.address,
                p.postal_code,
                p.commune,
                p.cadastral_section,
                p.cadastral_number,
                p.lot,
                p.description,
            ),
        ),
    )
    register(
        ManagerTarget,
        Source(
            "manager",
            "Dirigeant",
            case=lambda m: m.case,
            title=lambda m: _join(m.first_name, m.last_name),
            body=lambda m: _join(m.first_name, m.last_name, m.function, m.address, m.grounds),
        ),
    )
    register(
        ThirdPartyHolderTarget,
        Source(
            "holder",
            "Tiers détenteur",
            case=lambda h: h.case,
            title=lambda h: h.name,
            body=lambda h: _join(h.name, h.siren, h.address, h.declaration_content),
        ),
    )
    register(
        Message,
        Source(
            "message",
            "Message",
            case=lambda m: m.case,
            title=lambda m: f"Message de {m.author_label}",
            body=lambda m: m.body,
        ),
    )
    register(
        CaseNote,
        Source(
            "note",
            "Note du pôle",
            case=lambda n: n.case,
            title=lambda n: f"Note de {n.author_label}",
            body=lambda n: n.text,
            internal=lambda n: True,
        ),
    )
    register(
        Opinion,
        Source(
            "opinion",
            "Avis d'opportunité",
            case=lambda o: o.case,
            title=lambda o: f"Avis d'opportunité, version {o.version}",
            body=lambda o: _join(o.reasons, o.risk_assessment),
            internal=lambda o: o.status != "validated",
        ),
    )
    register(
        Hearing,
        Source(
            "hearing",
            "Audience",
            case=lambda h: h.case,
            # Its day in France, whichever time zone the instance was given (a form's, the
            # database's UTC): a hearing at 00:30 is on the same day written or rebuilt.
            title=lambda h: _join(
                "Audience", h.court, f"{timezone.localtime(h.scheduled_at):%d/%m/%Y}"
            ),
            body=lambda h: _join(h.court, h.purpose, h.adjournment_reason),
        ),
    )
    register(
        Piece,
        Source(
            "piece",
            "Pièce",
            case=lambda p: p.case,
            title=lambda p: _join(p.get_kind_display(), "—", p.original_name),
            body=lambda p: "",
            file=lambda p: p.file,
        ),
    )


# --- Writing the entries ---------------------------------------------------------------------


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index(instance)


def _deleted(sender, instance, **kwargs) -> None:
    source = _sources.get(type(instance))
    if source is not None:
        SearchEntry.objects.filter(source=source.name, source_id=instance.pk).delete()


def index(instance) -> SearchEntry | None:
    """Write the entry of `instance` (in the caller's transaction); a stored PDF's text is
    extracted after the commit, by the worker."""
    source = _sources.get(type(instance))
    case = source.case(instance) if source else None
    if source is None or case is None or case.pk is None:
        return None
    stored = source.file(instance) if source.file else None
    fields = {
        "case": case,
        "title": source.title(instance)[:300],
        "internal": source.internal(instance),
    }
    existing = SearchEntry.objects.filter(source=source.name, source_id=instance.pk).first()
    # A stored file never changes (pieces and documents are kept as they were): its text is
    # extracted once, whatever later saves of its row.
    extracted = existing is not None and existing.text_state in (
        SearchEntry.TextState.DONE,
        SearchEntry.TextState.EMPTY,
    )
    if not stored:
        fields.update(body=source.body(instance)[:BODY_MAX], text_state="")
    elif not extracted:
        fields.update(body="", text_state=SearchEntry.TextState.PENDING)
    entry, _ = SearchEntry.objects.update_or_create(
        source=source.name, source_id=instance.pk, defaults=fields
    )
    _vectorise(entry.pk)
    if stored and not extracted:
        pk = entry.pk
        transaction.on_commit(lambda: _enqueue_extraction(pk))
    return entry


# A file's name (« scan-Merlieux.pdf ») is one token to PostgreSQL's parser: its parts are
# made words of the title's vector.
NAME_SEPARATORS = re.compile(r"[._/\\-]+")


def index_many(instances: list, *, extract_now: bool = False) -> int:
    """The entries of rows written in bulk (no post_save), as `index` writes them: one
    INSERT per thousand, their vectors in one UPDATE; how many were written. A stored file's
    text is read now with `extract_now`, once per file (the bulk generator's pieces all share
    its one sample PDF), else — or when the file cannot be read here — by the worker after
    the commit. The rows must have no entry yet (rows just written, or `index_missing`)."""
    entries = []
    texts: dict[str, str | None] = {}
    for instance in instances:
        source = _sources.get(type(instance))
        case = source.case(instance) if source else None
        if source is None or case is None or case.pk is None:
            continue
        stored = source.file(instance) if source.file else None
        entry = SearchEntry(
            case=case,
            source=source.name,
            source_id=instance.pk,
            title=source.title(instance)[:300],
            internal=source.internal(instance),
        )
        if not stored:
            entry.body, entry.text_state = source.body(instance)[:BODY_MAX], ""
        else:
            if extract_now and stored.name not in texts:
                texts[stored.name] = _read_text(stored)
            text = texts.get(stored.name)
            if text is None:
                entry.body, entry.text_state = "", SearchEntry.TextState.PENDING
            else:
                entry.body = text
                entry.text_state = (
                    SearchEntry.TextState.DONE if text else SearchEntry.TextState.EMPTY
                )
        entries.append(entry)
    SearchEntry.objects.bulk_create(entries, batch_size=1000)
    _vectorise_many(entries)
    pending = [e.pk for e in entries if e.text_state == SearchEntry.TextState.PENDING]
    if pending:
        transaction.on_commit(lambda: [_enqueue_extraction(pk) for pk in pending])
    return len(entries)


def _read_text(stored) -> str | None:
    """A stored PDF's text, None when the file cannot be read here (left to the worker)."""
    try:
        with stored.open("rb") as handle:
            return pdf_text(handle.read())
    except OSError:
        logger.warning("Recherche : le fichier %s n'a pas pu être lu.", stored.name)
        return None


def index_missing(*, extract_now: bool = True, chunk: int = 5000) -> int:
    """Write the entries that are missing — rows written in bulk before their writer
    indexed them — as `index_many` does, a transaction per `chunk` rows; idempotent (a row
    indexed is never written twice). How many were written."""
    written = 0
    for model, source in list(_sources.items()):
        related = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in (Case, Debtor)
        ]
        rows = (
            model.objects.filter(
                ~models.Exists(
                    SearchEntry.objects.filter(source=source.name, source_id=models.OuterRef("pk"))
                )
            )
            .select_related(*related)
            .order_by("pk")
        )
        batch: list = []
        for instance in rows.iterator(chunk_size=chunk):
            batch.append(instance)
            if len(batch) == chunk:
                with transaction.atomic():
                    written += index_many(batch, extract_now=extract_now)
                batch = []
        if batch:
            with transaction.atomic():
                written += index_many(batch, extract_now=extract_now)
    return written


def _vectorise(pk: int) -> None:
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    title = SearchEntry.objects.filter(pk=pk).values_list("title", flat=True).first() or ""
    words_of_title = NAME_SEPARATORS.sub(" ", title)
    SearchEntry.objects.filter(pk=pk).update(
        vector=SearchVector(
            models.Value(words_of_title, output_field=models.TextField()),
            weight="A",
            config=CONFIG,
        )
        + SearchVector("body", weight="B", config=CONFIG)
    )


def _vectorise_many(entries: list[SearchEntry]) -> None:
    """`_vectorise` of entries written in bulk, in one statement."""
    if connection.vendor != "postgresql" or not entries:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SearchEntry._meta.db_table} AS entry SET vector = "
            "setweight(to_tsvector(%s::regconfig, COALESCE(words.title, '')), 'A') || "
            "setweight(to_tsvector(%s::regconfig, COALESCE(entry.body, '')), 'B') "
            "FROM unnest(%s::bigint[], %s::text[]) AS words(id, title) WHERE entry.id = words.id",
            [
                CONFIG,
                CONFIG,
                [entry.pk for entry in entries],
                [NAME_SEPARATORS.sub(" ", entry.title) for entry in entries],
            ],
        )


def _enqueue_extraction(pk: int) -> None:
    from .tasks import extract_file_text

    extract_file_text.enqueue(pk)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (empty for a scan without one, or a file pypdf cannot read)."""
    if not data.startswith(b"%PDF"):
        return ""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception:  # a damaged file is searched by its title only
        logger.warning("Recherche : le texte d'un fichier n'a pas pu être lu.", exc_info=True)
        return ""
    return re.sub(r"\s+", " ", text).strip()[:BODY_MAX]


def extract(pk: int) -> str:
    """Read the entry's file and store its text (the worker's task); its new state."""
    entry = SearchEntry.objects.filter(pk=pk).first()
    if entry is None:
        return "gone"
    model = next((m for m, s in _sources.items() if s.name == entry.source), None)
    instance = model.objects.filter(pk=entry.source_id).first() if model else None
    stored = _sources[model].file(instance) if instance is not None else None
    if not stored:
        return "gone"
    # Read outside any transaction (a large file), written in a short one.
    with stored.open("rb") as handle:
        text = pdf_text(handle.read())
    state = SearchEntry.TextState.DONE if text else SearchEntry.TextState.EMPTY
    with transaction.atomic():
        SearchEntry.objects.filter(pk=pk).update(body=text, text_state=state)
        _vectorise(pk)
    return state


def rebuild(cases: models.QuerySet[Case] | None = None, *, extract_now: bool = True) -> int:
    """Write every entry again (`manage.py rebuild_search`); how many were written."""
    written = 0
    case_ids = cases.values("pk") if cases is not None else Case.objects.values("pk")
    for model in list(_sources):
        field = "pk" if model is Case else "case"
        rows = model.objects.filter(**{f"{field}__in": case_ids})
        for instance in rows.iterator(chunk_size=500):
            with transaction.atomic():
                entry = index(instance)
            if entry is not None:
                written += 1
                if extract_now and entry.text_state == SearchEntry.TextState.PENDING:
                    extract(entry.pk)
    return written


# --- Searching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    case: Case
    label: str
    title: str
    passage: str  # safe HTML: the words found in <mark>
    text_state: str


def words(query: str) -> list[str]:
    return [word for word in re.split(r"\s+", query.strip()) if word][:12]


def search(user: User, query: str) -> list[Hit]:
    """The entries matching `query` among what `user` may see, the best first."""
    terms = words(query)
    if not terms:
        return []
    entries = SearchEntry.objects.filter(case__in=access.visible_cases(user).values("pk"))
    if not access.may_search_internal_work(user):
        entries = entries.filter(internal=False)
    labels = {source.name: source.label for source in _sources.values()}
    if connection.vendor == "postgresql":
        rows = _postgres(entries, query)
    else:
        rows = _sqlite(entries, terms)
    cases = Case.objects.select_related("debtor", "direction").in_bulk(
        {row["case_id"] for row in rows}
    )
    return [
        Hit(
            case=cases[row["case_id"]],
            label=labels.get(row["source"], row["source"]),
            title=row["title"],
            passage=row["passage"],
            text_state=row["text_state"],
        )
        for row in rows
        if row["case_id"] in cases
    ]


def _postgres(entries, query: str) -> list[dict]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    wanted = SearchQuery(query, config=CONFIG, search_type="websearch")
    found = (
        entries.filter(vector=wanted)
        .annotate(rank=SearchRank(models.F("vector"), wanted))
        .order_by("-rank", "-updated_at", "-pk")[:RESULTS_MAX]
    )
    # The passages of the page's results only (ts_headline reads the whole text).
    rows = list(found.values("pk", "case_id", "source", "title", "text_state"))
    passages = dict(
        SearchEntry.objects.filter(pk__in=[row["pk"] for row in rows])
        .annotate(
            passage=SearchHeadline(
                models.functions.Concat(
                    "title", models.Value(" — "), "body", output_field=models.TextField()
                ),
                wanted,
                config=CONFIG,
                start_sel="\x02",
                stop_sel="\x03",
                max_words=35,
                min_words=15,
            )
        )
        .values_list("pk", "passage")
    )
    for row in rows:
        row["passage"] = _marked(passages.get(row["pk"], ""))
    return rows


def _marked(text: str) -> str:
    """ts_headline's passage, escaped, its delimiters turned into <mark>."""
    return mark_safe(escape(text).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _sqlite(entries, terms: list[str]) -> list[dict]:
    for term in terms:
        entries = entries.filter(models.Q(title__icontains=term) | models.Q(body__icontains=term))
    rows = list(
        entries.order_by("-updated_at", "-pk").values(
            "pk", "case_id", "source", "title", "body", "text_state"
        )[:RESULTS_MAX]
    )
    for row in rows:
        row["passage"] = _excerpt(row.pop("body") or row["title"], terms)
    return rows


def _excerpt(text: str, terms: list[str], width: int = 220) -> str:
    """Around the first word found, the words found marked."""
    lowered = text.lower()
    first = min((i for i in (lowered.find(t.lower()) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 3)
    piece = (
        ("…" if start else "")
        + text[start : start + width]
        + ("…" if start + width < len(text) else "")
    )
    html = escape(piece)
    for term in sorted(set(terms), key=len, reverse=True):
        html = re.sub(
            re.escape(escape(term)), lambda m: f"<mark>{m.group(0)}</mark>", html, flags=re.I
        )
    return mark_safe(html)

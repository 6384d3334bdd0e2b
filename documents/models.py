"""Generated documents: each generation is a new, immutable version of a case's document
of some kind, with the data snapshot it was made from."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cases.models import ActionType, AppendOnlyError, Case

from .enums import CopiesStatus, DocumentKind, DocumentStatus, EditableFormat


def document_upload_to(instance: "Document", filename: str) -> str:
    return f"documents/{instance.case.reference}/{instance.kind}-v{instance.version}.pdf"


def stalled_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.DOCUMENTS_STALLED_AFTER)


class DocumentQuerySet(models.QuerySet):
    def stalled(self, now: datetime.datetime | None = None) -> "DocumentQuerySet":
        """Pending versions that nothing has moved for DOCUMENTS_STALLED_AFTER seconds: not
        taken since queued, or their renderer's heartbeat stopped (its worker died)."""
        limit = (now or timezone.now()) - stalled_after()
        return (
            self.filter(status=DocumentStatus.PENDING)
            .alias(last_sign=Coalesce("heartbeat_at", "queued_at"))
            .filter(last_sign__lt=limit)
        )


class TemplateVersion(models.Model):
    """One version of the text of a kind's template, written by the head of the pôle in
    the application (documents/templating.py), for one action type or for all (no action
    type). Append-only: the ORM refuses to change or delete one, and so does a database
    trigger. The file templates/documents/<kind>.html stays the default: version 0, used
    while no version exists. A document records the version it was rendered from."""

    kind = models.CharField("document", max_length=30, choices=DocumentKind.choices)
    action_type = models.ForeignKey(
        ActionType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="type d'action",
        help_text="Vide : toutes les actions qui n'ont pas leur propre modèle.",
    )
    number = models.PositiveIntegerField("version")
    body = models.TextField("texte du modèle")
    comment = models.CharField("commentaire", max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    created_at = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        ordering = ["kind", "action_type", "-number"]
        verbose_name = "version de modèle de document"
        verbose_name_plural = "versions de modèles de document"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=Q(action_type__isnull=True),
                name="template_version_unique_all_actions",
                violation_error_message="Cette version du modèle existe déjà.",
            ),
            models.UniqueConstraint(
                fields=["kind", "action_type", "number"],
                condition=Q(action_type__isnull=False),
                name="template_version_unique_per_action",
                violation_error_message="Cette version du modèle existe déjà.",
            ),
            models.CheckConstraint(
                name="template_version_numbered_from_one",
                violation_error_message="Les versions d'un modèle sont numérotées à partir de 1.",
                condition=Q(number__gte=1),
            ),
        ]

    def __str__(self) -> str:
        scope = self.action_type.label if self.action_type_id else "toutes actions"
        return f"Modèle « {self.get_kind_display()} » ({scope}) v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk and not self._state.adding:
            raise AppendOnlyError(
                "Une version de modèle ne se modifie pas : enregistrez une nouvelle version."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Une version de modèle se conserve : elle ne se supprime pas.")


class Document(models.Model):
    """One version. Pending until the background worker renders it; then ready (its file,
    size and hash set once and for all) or failed (with the error, and retried on demand).
    The head of the pôle may validate a ready version: it is then the document of record.
    Its editable copies (ODT, DOCX) follow the PDF in a task of their own (`copies_status`).

    While pending: `queued_at` is when its rendering was last queued; the worker that takes
    it sets `claimed_at` (its claim: a worker whose claim was replaced drops its result) and
    renews `heartbeat_at` while it renders. A version that nothing has moved for a while is
    stalled: the rescue queues it again, its users may retry it."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", verbose_name="dossier"
    )
    kind = models.CharField("document", max_length=30, choices=DocumentKind.choices)
    version = models.PositiveIntegerField("version")
    status = models.CharField(
        "état", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    snapshot = models.JSONField("données", help_text="Les données du dossier mises en page.")
    inputs_sha256 = models.CharField("empreinte des données", max_length=64)
    file = models.FileField("fichier", upload_to=document_upload_to, max_length=300, blank=True)
    size = models.PositiveBigIntegerField("taille (octets)", null=True, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="demandé par",
    )
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    generated_at = models.DateTimeField("produit le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    queued_at = models.DateTimeField("mis en file le", default=timezone.now)
    claimed_at = models.DateTimeField("pris par le processus le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe du processus", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    copies_status = models.CharField(
        "copies modifiables",
        max_length=10,
        choices=CopiesStatus.choices,
        blank=True,
        default="",
        help_text="L'ODT et le DOCX, produits après le PDF ; vide : aucune copie demandée.",
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="version du modèle",
        help_text="Vide : le modèle livré avec l'application (version 0).",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["case", "kind", "-version"]
        verbose_name = "document"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "version"],
                name="document_version_unique",
                violation_error_message="Cette version du document existe déjà.",
            ),
            models.CheckConstraint(
                name="document_ready_has_file",
                violation_error_message="Un document prêt a son fichier et son empreinte.",
                condition=~Q(status=DocumentStatus.READY)
                | (~Q(file="") & ~Q(sha256="") & Q(size__isnull=False)),
            ),
            models.CheckConstraint(
                name="document_validated_is_ready",
                violation_error_message="Seul un document prêt peut être validé.",
                condition=Q(validated_at__isnull=True) | Q(status=DocumentStatus.READY),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} — {self.case.reference}"

    # A ready version never changes, except to be validated once.
    FROZEN_FIELDS = ("case_id", "kind", "version", "snapshot", "inputs_sha256", "file", "size",
                     "sha256", "generated_at", "template_version_id")  # fmt: skip

    def save(self, *args, **kwargs) -> None:
        if self.pk and not self._state.adding:
            stored = (
                Document.objects.filter(pk=self.pk)
                .values("status", "validated_at", *self.FROZEN_FIELDS)
                .first()
            )
            if stored and stored["status"] == DocumentStatus.READY:
                changed = [
                    name
                    for name in self.FROZEN_FIELDS
                    if stored[name]
                    != (str(getattr(self, name)) if name == "file" else getattr(self, name))
                ]
                if (
                    changed
                    or self.status != DocumentStatus.READY
                    or (stored["validated_at"] and stored["validated_at"] != self.validated_at)
                ):
                    raise AppendOnlyError(
                        "Une version produite ne se modifie pas : générez une nouvelle version."
                    )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.case.reference, self.pk])

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Un document produit se conserve : il ne se supprime pas.")

    @property
    def internal_work(self) -> bool:
        """An opinion's PDF made before the opinion was validated (a preview for the pôle):
        `cases.access.may_see_internal_work` says who may see it."""
        opinion = self.snapshot.get("opinion") if self.kind == DocumentKind.AVIS else None
        return opinion is not None and not opinion.get("validated")

    @property
    def is_draft(self) -> bool:
        """A PROJET (the draft pleadings, an opinion before its validation): not signed
        (documents/signing.py); any other version is signed when rendered."""
        return self.kind == DocumentKind.PROJET_ECRITURES or self.internal_work

    @property
    def integrity_label(self) -> str:
        """How an integrity report names this version (cases/integrity.py)."""
        return (
            f"le document « {self.get_kind_display()} » v{self.version} (n° {self.pk}) "
            f"du dossier {self.case.reference}"
        )

    @property
    def template_source(self) -> str | None:
        """The text of the template version it is rendered from; None: the file's."""
        return self.template_version.body if self.template_version_id else None

    @property
    def copies_pending(self) -> bool:
        """Ready, its editable copies still being made (documents/copies.py)."""
        return self.status == DocumentStatus.READY and self.copies_status == CopiesStatus.PENDING

    @property
    def copies_failed(self) -> bool:
        """Ready, but its editable copies could not be made (its PDF is there)."""
        return self.status == DocumentStatus.READY and self.copies_status == CopiesStatus.FAILED

    @property
    def is_stalled(self) -> bool:
        if self.status != DocumentStatus.PENDING:
            return False
        return (self.heartbeat_at or self.queued_at) < timezone.now() - stalled_after()

    @property
    def filename(self) -> str:
        return f"{self.case.reference}_{self.kind}_v{self.version}.pdf"


def editable_upload_to(instance: "EditableCopy", filename: str) -> str:
    document = instance.document
    return (
        f"documents/{document.case.reference}/{document.kind}-v{document.version}.{instance.format}"
    )


class EditableCopy(models.Model):
    """The ODT or DOCX of a version, made from the same HTML as its PDF
    (documents/formats.py) and, like it, never changed: the lawyer downloads it to rework
    the text in a word processor. Created by its own background task once the version is
    ready (documents/copies.py; `Document.copies_status` says where they stand)."""

    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="editable_copies",
        verbose_name="document",
    )
    format = models.CharField("format", max_length=10, choices=EditableFormat.choices)
    file = models.FileField("fichier", upload_to=editable_upload_to, max_length=300)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)

    class Meta:
        ordering = ["document", "format"]
        verbose_name = "copie modifiable"
        verbose_name_plural = "copies modifiables"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "format"],
                name="editable_copy_unique",
                violation_error_message="Ce document a déjà sa copie dans ce format.",
            ),
            models.CheckConstraint(
                name="editable_copy_has_file",
                violation_error_message="Une copie modifiable a son fichier et son empreinte.",
                condition=~Q(file="") & ~Q(sha256=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.get_format_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.pk and not self._state.adding:
            raise AppendOnlyError("Une copie produite ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Une copie produite se conserve : elle ne se supprime pas.")

    @property
    def integrity_label(self) -> str:
        """How an integrity report names this copy (cases/integrity.py)."""
        return f"{self.document.integrity_label}, copie {self.format.upper()}"

    @property
    def filename(self) -> str:
        return self.document.filename.removesuffix(".pdf") + f".{self.format}"

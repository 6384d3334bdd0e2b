"""The versions of the documents' templates the head of the pôle writes in the application
(documents.TemplateVersion), append-only at the database level too (no UPDATE, no DELETE
from any client, as the cases' history: cases/migrations/0002), and the version each
document was rendered from."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from cases.migrations._append_only import AppendOnly

TABLE = "documents_templateversion"
MESSAGE = (
    "Une version de modèle de document est en ajout seul : elle ne peut être ni modifiée "
    "ni supprimée."
)
TEMPLATE_VERSIONS = AppendOnly(TABLE, MESSAGE)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0029_merge_20261202_0645"),
        ("documents", "0004_editable_copy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TemplateVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("avis", "Avis d'opportunité"),
                            ("accuse", "Accusé de réception de saisine"),
                            ("saisine_avocat", "Note de saisine de l'avocat"),
                            ("projet_ecritures", "Projet d'écritures"),
                            ("compte_rendu", "Compte rendu de décision"),
                            ("bordereau", "Bordereau de pièces"),
                        ],
                        max_length=30,
                        verbose_name="document",
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("body", models.TextField(verbose_name="texte du modèle")),
                (
                    "comment",
                    models.CharField(blank=True, max_length=300, verbose_name="commentaire"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="enregistré le"
                    ),
                ),
                (
                    "action_type",
                    models.ForeignKey(
                        blank=True,
                        help_text="Vide : toutes les actions qui n'ont pas leur propre modèle.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.actiontype",
                        verbose_name="type d'action",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="auteur",
                    ),
                ),
            ],
            options={
                "verbose_name": "version de modèle de document",
                "verbose_name_plural": "versions de modèles de document",
                "ordering": ["kind", "action_type", "-number"],
            },
        ),
        migrations.AddField(
            model_name="document",
            name="template_version",
            field=models.ForeignKey(
                blank=True,
                help_text="Vide : le modèle livré avec l'application (version 0).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="documents",
                to="documents.templateversion",
                verbose_name="version du modèle",
            ),
        ),
        migrations.AddConstraint(
            model_name="templateversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("action_type__isnull", True)),
                fields=("kind", "number"),
                name="template_version_unique_all_actions",
                violation_error_message="Cette version du modèle existe déjà.",
            ),
        ),
        migrations.AddConstraint(
            model_name="templateversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("action_type__isnull", False)),
                fields=("kind", "action_type", "number"),
                name="template_version_unique_per_action",
                violation_error_message="Cette version du modèle existe déjà.",
            ),
        ),
        migrations.AddConstraint(
            model_name="templateversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__gte", 1)),
                name="template_version_numbered_from_one",
                violation_error_message="Les versions d'un modèle sont numérotées à partir de 1.",
            ),
        ),
        TEMPLATE_VERSIONS.operation(),
    ]

"""The versions of the documents' templates the head of the pôle writes in the application
(documents.TemplateVersion), append-only at the database level too (no UPDATE, no DELETE
from any client, as the cases' history: cases/migrations/0002), and the version each
document was rendered from."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TABLE = "documents_templateversion"
MESSAGE = (
    "Une version de modèle de document est en ajout seul : elle ne peut être ni modifiée "
    "ni supprimée."
)
APPEND_ONLY = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
        """,
    ],
    "sqlite": [
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ],
}
APPEND_ONLY_REVERSE = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
        f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


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
        migrations.RunPython(_run(APPEND_ONLY), _run(APPEND_ONLY_REVERSE)),
    ]

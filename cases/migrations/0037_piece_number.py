"""Pieces get a number stable in their case (the bordereau's « pièce n° »), their own
date and a description; the case keeps the last number given (never given again). The
numbers are filled by 0038 and made required and unique in the case by 0039."""

import datetime

from django.db import migrations, models

import cases.validators


class Migration(migrations.Migration):
    dependencies = [("cases", "0036_caseevent_chain_index")]

    operations = [
        migrations.AlterModelOptions(
            name="piece",
            options={"ordering": ["number", "pk"], "verbose_name": "pièce"},
        ),
        migrations.AddField(
            model_name="case",
            name="last_piece_number",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="dernier numéro de pièce"
            ),
        ),
        migrations.AddField(
            model_name="piece",
            name="dated_on",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[cases.validators.PlausibleDate(datetime.date(1900, 1, 1))],
                verbose_name="date de la pièce",
            ),
        ),
        migrations.AddField(
            model_name="piece",
            name="description",
            field=models.CharField(
                blank=True,
                help_text="Telle qu'elle figurera au bordereau, par exemple « Avis de mise en "
                "recouvrement n° 2024-123 ».",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="piece",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="numéro"),
        ),
    ]

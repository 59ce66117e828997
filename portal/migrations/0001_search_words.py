"""The vocabulary behind search's "Did you mean ...?" (portal.vocabulary).

On PostgreSQL a trigram index (pg_trgm) finds the words closest to a misspelling without reading the
whole table. SQLite (`make run`'s first look) has neither pg_trgm nor GIN: the table alone, compared
in Python.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = GinIndex(fields=["word"], name="portal_searchword_trigram", opclasses=["gin_trgm_ops"])


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("portal", "SearchWord"), TRIGRAM_INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("portal", "SearchWord"), TRIGRAM_INDEX)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        TrigramExtension(),  # a no-op on SQLite; already there where articles' search created it
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
                (
                    "documents",
                    models.PositiveIntegerField(help_text="How many articles and thread titles use the word."),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="searchword", index=TRIGRAM_INDEX)],
            database_operations=[migrations.RunPython(add_index, remove_index)],
        ),
    ]

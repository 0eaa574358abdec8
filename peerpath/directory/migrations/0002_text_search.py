from django.db import migrations


def create_text_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Full-text search: an expression index on PostgreSQL, an FTS5 table on SQLite."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Stored, so that ranking does not parse each matching entry's text again.
        schema_editor.execute(
            "ALTER TABLE directory_entry ADD COLUMN words tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX directory_entry_words ON directory_entry USING gin (words)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE directory_entry_fts USING fts5("
            "text, tokenize = 'unicode61 remove_diacritics 2')"
        )


def drop_text_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_entry_words")
        schema_editor.execute("ALTER TABLE directory_entry DROP COLUMN IF EXISTS words")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS directory_entry_fts")


class Migration(migrations.Migration):
    """Full-text search of the resource search: a stored tsvector with a GIN index on
    PostgreSQL, an FTS5 table (rowid = the entry's id) on SQLite."""

    dependencies = [
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_text_index, drop_text_index),
    ]

"""Audit rows name the key that signed them; TRUNCATE (PostgreSQL) and DELETE (SQLite) refused."""

from django.db import migrations, models

from peerpath.core import db_triggers


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(db_triggers.POSTGRES_CREATE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(db_triggers.SQLITE_NO_UPDATE)
        schema_editor.execute(db_triggers.SQLITE_NO_DELETE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(db_triggers.POSTGRES_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(db_triggers.SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_review_cosignature")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(create, drop),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """Each organization's audit trail is written in several chains ("lanes").

    The column is added with plain SQL: on SQLite, AddField of a NOT NULL column rebuilds the
    table, which would drop the triggers that refuse changes to audit rows. Every existing row
    belongs to lane 0, the chain it was written in.
    """

    dependencies = [
        ('core', '0008_downloads'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "core_auditevent" ADD COLUMN "lane" smallint NOT NULL DEFAULT 0 '
                    'CHECK ("lane" >= 0)',
                    reverse_sql='ALTER TABLE "core_auditevent" DROP COLUMN "lane"',
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name='auditevent',
                    name='lane',
                    field=models.PositiveSmallIntegerField(default=0),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['organization', 'lane', 'id'], name='audit_org_lane'),
        ),
    ]

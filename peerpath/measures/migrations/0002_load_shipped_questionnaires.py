from django.db import migrations


def load(apps, schema_editor):
    from peerpath.measures import loading

    loading.load_shipped(apps.get_model("measures", "Questionnaire"))


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

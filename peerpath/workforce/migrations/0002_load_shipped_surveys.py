from django.db import migrations


def load(apps, schema_editor):
    from peerpath.workforce import loading

    loading.load_shipped(apps.get_model("workforce", "SurveyInstrument"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

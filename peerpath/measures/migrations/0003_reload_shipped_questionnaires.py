from django.db import migrations


def load(apps, schema_editor):
    # The shipped PHQ-9 and GAD-7 now carry their Spanish wording.
    from peerpath.measures import loading

    loading.load_shipped(apps.get_model("measures", "Questionnaire"))


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_load_shipped_questionnaires")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

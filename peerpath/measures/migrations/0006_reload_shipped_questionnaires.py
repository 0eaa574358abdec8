from django.db import migrations


def load(apps, schema_editor):
    # Spanish titles, and Spanish wording that does not assume the person's gender.
    from peerpath.measures import loading

    loading.load_shipped(apps.get_model("measures", "Questionnaire"))


class Migration(migrations.Migration):
    dependencies = [("measures", "0005_response_total_decimal")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

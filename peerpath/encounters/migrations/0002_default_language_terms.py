"""Load the person-first language defaults (English and Spanish) every organization starts with."""

from django.db import migrations


def load(apps, schema_editor):
    from peerpath.encounters.language import load_default_terms

    load_default_terms(apps.get_model("encounters", "LanguageTerm"))


def unload(apps, schema_editor):
    LanguageTerm = apps.get_model("encounters", "LanguageTerm")
    LanguageTerm.objects.filter(organization__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("encounters", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

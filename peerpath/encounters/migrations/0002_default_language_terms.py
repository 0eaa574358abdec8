"""Load the person-first language defaults (English and Spanish) every organization starts with."""

from django.db import migrations


def load(apps, schema_editor):
    from peerpath.encounters.language import DEFAULT_TERMS

    LanguageTerm = apps.get_model("encounters", "LanguageTerm")
    for language, term, suggestion, reason in DEFAULT_TERMS:
        LanguageTerm.objects.update_or_create(
            organization=None,
            language=language,
            term=term,
            defaults={"suggestion": suggestion, "reason": reason, "is_active": True},
        )


def unload(apps, schema_editor):
    LanguageTerm = apps.get_model("encounters", "LanguageTerm")
    LanguageTerm.objects.filter(organization__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("encounters", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

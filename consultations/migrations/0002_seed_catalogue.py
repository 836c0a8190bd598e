from django.db import migrations

from consultations.consultation_pages.catalogue_seed import CATEGORIES, FORMATS, PARTICIPANT_GROUPS


def seed(apps, schema_editor):
    for model_name, rows in (
        ("Category", CATEGORIES),
        ("ParticipantGroup", PARTICIPANT_GROUPS),
        ("Format", FORMATS),
    ):
        model = apps.get_model("consultations", model_name)
        for order, (slug, name, name_en) in enumerate(rows, start=1):
            model.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order * 10}
            )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations, models


class Migration(migrations.Migration):
    """The stored stage of consultation pages (a cache of derive_stage(), issue 3).

    Existing pages start as "draft"; `manage.py consultations_refresh_stages` (run
    hourly by the timer) brings them up to date, as does any publish.
    """

    dependencies = [("consultations", "0002_seed_catalogue")]
    operations = [
        migrations.AddField(
            model_name="consultationpage",
            name="stage",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("notice", "Advance notice"),
                    ("open", "Open for input"),
                    ("deliberation", "Deliberation"),
                    ("referred", "Referred to the residents' assembly"),
                    ("outcome", "Outcome published"),
                    ("implementation", "Implementation"),
                    ("closed", "Closed"),
                ],
                db_index=True,
                default="draft",
                editable=False,
                max_length=20,
                verbose_name="stage",
            ),
        ),
    ]

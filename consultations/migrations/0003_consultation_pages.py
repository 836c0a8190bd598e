from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0002_seed_catalogue")]
    operations = []

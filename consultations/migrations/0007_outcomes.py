from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0006_polls")]
    operations = []

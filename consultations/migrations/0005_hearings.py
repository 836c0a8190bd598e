from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0004_suggestions")]
    operations = []

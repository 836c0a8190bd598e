from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_consultation_pages")]
    operations = []

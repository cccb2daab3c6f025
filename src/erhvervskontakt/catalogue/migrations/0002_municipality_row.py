from django.db import migrations


def seed(apps, schema_editor):
    Municipality = apps.get_model("catalogue", "Municipality")
    Municipality.objects.get_or_create(pk=1, defaults={"name": "Kommunen"})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

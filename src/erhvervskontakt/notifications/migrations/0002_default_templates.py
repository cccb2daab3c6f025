from django.db import migrations


def seed(apps, schema_editor):
    """Copy the default wording into editable rows; rows an administrator has are kept."""
    from erhvervskontakt.notifications.defaults import DEFAULTS

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (kind, language), wording in DEFAULTS.items():
        MessageTemplate.objects.get_or_create(
            kind=kind,
            language=language,
            defaults={"subject": wording.subject, "text": wording.text, "html": wording.html},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

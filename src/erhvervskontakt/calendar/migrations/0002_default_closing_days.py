import datetime as dt

from django.db import migrations

DEFAULTS = [
    (dt.date(2000, 6, 5), "Grundlovsdag"),
    (dt.date(2000, 12, 24), "Juleaftensdag"),
    (dt.date(2000, 12, 31), "Nytårsaftensdag"),
]


def seed(apps, schema_editor):
    ClosingDay = apps.get_model("workcalendar", "ClosingDay")
    for day, name in DEFAULTS:
        ClosingDay.objects.get_or_create(date=day, recurring=True, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Existing timelines keep a history for the business: the entries it saw before (not
internal) of the kinds that concern it get their text as the business's line. Notes, the
screening (which could carry the coordinator's note), messages (the dialogue shows them) and
plan edits stay staff-only. New entries are written with a line for the business."""

from django.db import migrations
from django.db.models import F

KINDS = (
    "received",
    "opened",
    "coordinator_appointed",
    "coordinator_changed",
    "estimate_set",
    "estimate_moved",
    "document_added",
    "answer_added",
    "answer_changed",
    "deliverable_delivered",
    "fully_informed",
    "answered",
    "visit_slots_offered",
    "visit_slot_chosen",
    "visit_time_fixed",
    "visit_visited",
    "visit_report_sent",
    "visit_published",
    "visit_cancelled",
)


def forwards(apps, schema_editor):
    Event = apps.get_model("cases", "Event")
    Event.objects.filter(kind__in=KINDS, internal=False, business_text="").update(
        business_text=F("text")
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_workflow_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

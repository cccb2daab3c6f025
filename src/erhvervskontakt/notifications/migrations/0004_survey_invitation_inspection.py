"""The survey invitation says »Tak for tilsynsbesøget …« after an inspection visit.

The default wording of ``survey_invitation`` gained a branch on ``occasion``. Stored rows that
are still the old default get the new one; a row an administrator has edited is left as it is
(its wording goes out after inspections too, as before).
"""

from django.db import migrations

OLD = {
    "da": {
        "subject": "Hvordan gik det med {{ case.reference }}? Tre minutter om vores service",
        "text": (
            "Kære {{ recipient_name }}\n\nSag {{ case.reference }} er besvaret. Vi vil gerne høre,"
            " hvordan I oplevede forløbet: var det let at komme i kontakt med os, og holdt vi det,"
            " vi lovede?\n\nSvar her (tager ca. tre minutter): {{ survey_url }}\n\nTak for"
            " hjælpen.\n\nVenlig hilsen\n{{ municipality.name }}"
        ),
        "html": (
            "<p>Kære {{ recipient_name }}</p>\n<p>Sag <strong>{{ case.reference }}</strong> er"
            " besvaret. Vi vil gerne høre, hvordan I oplevede forløbet: var det let at komme i"
            ' kontakt med os, og holdt vi det, vi lovede?</p>\n<p><a href="{{ survey_url }}">'
            "Svar her</a> (tager ca. tre minutter).</p>\n<p>Tak for hjælpen.</p>\n<p>Venlig"
            " hilsen<br>{{ municipality.name }}</p>"
        ),
    },
    "en": {
        "subject": "How did it go with {{ case.reference }}? Three minutes about our service",
        "text": (
            "Dear {{ recipient_name }}\n\nCase {{ case.reference }} has been answered. We would"
            " like to hear how you found it: was it easy to reach us, and did we keep our"
            " promises?\n\nAnswer here (about three minutes): {{ survey_url }}\n\nThank you."
            "\n\nKind regards\n{{ municipality.name }}"
        ),
        "html": (
            "<p>Dear {{ recipient_name }}</p>\n<p>Case <strong>{{ case.reference }}</strong> has"
            " been answered. We would like to hear how you found it: was it easy to reach us, and"
            ' did we keep our promises?</p>\n<p><a href="{{ survey_url }}">Answer here</a>'
            " (about three minutes).</p>\n<p>Thank you.</p>\n<p>Kind regards<br>"
            "{{ municipality.name }}</p>"
        ),
    },
}


def _swap(apps, *, forward: bool) -> None:
    from erhvervskontakt.notifications.defaults import DEFAULTS

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for language, old in OLD.items():
        wording = DEFAULTS[("survey_invitation", language)]
        new = {"subject": wording.subject, "text": wording.text, "html": wording.html}
        was, becomes = (old, new) if forward else (new, old)
        MessageTemplate.objects.filter(kind="survey_invitation", language=language, **was).update(
            **becomes
        )


def forwards(apps, schema_editor):
    """Only rows still exactly the old default (subject, text and HTML) change."""
    _swap(apps, forward=True)


def backwards(apps, schema_editor):
    _swap(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_inspection_report_due")]
    operations = [migrations.RunPython(forwards, backwards)]

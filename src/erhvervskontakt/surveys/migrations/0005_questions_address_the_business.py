"""The default questions address the business as »I/jer/jeres«, as every page a business
reads does (»Hvor tilfredse er I …«, not »Hvor tilfreds er du …«).

A stored question still worded as the old default gets the new wording; a question an
administrator has reworded is left as it is.
"""

from django.db import migrations

# (old, new) Danish wording by question key, frozen here.
REWORDED = {
    "overall": (
        "Hvor tilfreds er du samlet set med kommunens service i denne sag?",
        "Hvor tilfredse er I samlet set med kommunens service i denne sag?",
    ),
    "knew_deliverables": (
        "Vidste du undervejs, hvad du skulle levere, og hvornår?",
        "Vidste I undervejs, hvad I skulle levere, og hvornår?",
    ),
    "answer_on_time": (
        "Fik du svar på eller før den dato, du fik oplyst?",
        "Fik I svar på eller før den dato, I fik oplyst?",
    ),
    "contact_helpful": (
        "Hvor hjælpsom var din kontaktperson?",
        "Hvor hjælpsom var jeres kontaktperson?",
    ),
    "comments": (
        "Har du kommentarer eller forslag til, hvad vi kan gøre bedre?",
        "Har I kommentarer eller forslag til, hvad vi kan gøre bedre?",
    ),
    "may_contact": (
        "Må vi kontakte dig om dine svar?",
        "Må vi kontakte jer om jeres svar?",
    ),
}


def _swap(apps, *, forward: bool) -> None:
    Question = apps.get_model("surveys", "Question")
    for key, (old, new) in REWORDED.items():
        was, becomes = (old, new) if forward else (new, old)
        Question.objects.filter(key=key, text_da=was).update(text_da=becomes)


def forwards(apps, schema_editor):
    _swap(apps, forward=True)


def backwards(apps, schema_editor):
    _swap(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_answer_occasion")]
    operations = [migrations.RunPython(forwards, backwards)]

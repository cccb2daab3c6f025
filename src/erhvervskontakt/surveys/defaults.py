"""The default questions of the satisfaction survey (the data migration stores a copy).

The issue's set: overall satisfaction; did you know what you had to deliver and when; was
the answer on or before the date you were given; was your contact person helpful; comments;
may we contact you. Administrators edit, add and deactivate questions in the admin.
"""

from __future__ import annotations

from typing import Any

DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "overall",
        "kind": "scale",
        "text_da": "Hvor tilfredse er I samlet set med kommunens service i denne sag?",
        "text_en": "Overall, how satisfied are you with the municipality's service on this matter?",
        "scale_low_da": "Meget utilfreds",
        "scale_high_da": "Meget tilfreds",
        "scale_low_en": "Very dissatisfied",
        "scale_high_en": "Very satisfied",
        "positive_from": 4,
        "negative_to": 2,
        "asked": "both",
        "position": 1,
    },
    {
        "key": "knew_deliverables",
        "kind": "yes_no",
        "text_da": "Vidste I undervejs, hvad I skulle levere, og hvornår?",
        "text_en": "Did you know along the way what you had to provide, and when?",
        "positive_answer": True,
        "asked": "answer",
        "position": 2,
    },
    {
        "key": "answer_on_time",
        "kind": "yes_no",
        "text_da": "Fik I svar på eller før den dato, I fik oplyst?",
        "text_en": "Did you get the answer on or before the date you were given?",
        "positive_answer": True,
        "asked": "answer",
        "position": 3,
    },
    {
        "key": "contact_helpful",
        "kind": "scale",
        "text_da": "Hvor hjælpsom var jeres kontaktperson?",
        "text_en": "How helpful was your contact person?",
        "scale_low_da": "Slet ikke hjælpsom",
        "scale_high_da": "Meget hjælpsom",
        "scale_low_en": "Not helpful at all",
        "scale_high_en": "Very helpful",
        "positive_from": 4,
        "negative_to": 2,
        "asked": "both",
        "position": 4,
    },
    {
        "key": "comments",
        "kind": "text",
        "text_da": "Har I kommentarer eller forslag til, hvad vi kan gøre bedre?",
        "text_en": "Do you have comments or suggestions on what we could do better?",
        "asked": "both",
        "position": 5,
    },
    {
        "key": "may_contact",
        "kind": "yes_no",
        "text_da": "Må vi kontakte jer om jeres svar?",
        "text_en": "May we contact you about your answers?",
        "positive_answer": None,
        "asked": "both",
        "position": 6,
    },
]

"""The default wording of every e-mail, in Danish and English (Django template syntax).

Longer than ~600 lines: it is the wording of every e-mail kind in two languages, not logic.

The data migration copies these into ``MessageTemplate`` rows, which administrators edit; a
kind with no row (e.g. after a test flush) falls back to the text here. What each template
may use is listed in :data:`VARIABLES` (shown in the admin). Every message has ``municipality``
(``name``, ``email``, ``phone``) and ``recipient_name``; a case message has ``case``
(``reference``, ``business_name``, ``cvr``, ``service_types``, ``screening_due``,
``estimate``, ``url``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    subject: str
    text: str
    html: str


DA_DATE = "j. F Y"
EN_DATE = "j F Y"

_COORDINATOR_DA_TEXT = """{% if coordinator %}Jeres kontaktperson i kommunen: {{ coordinator.name }}{% if coordinator.title %}, {{ coordinator.title }}{% endif %}
E-mail: {{ coordinator.email }}{% if coordinator.phone %} · telefon {{ coordinator.phone }}{% endif %}{% endif %}"""
_COORDINATOR_EN_TEXT = """{% if coordinator %}Your contact person at the municipality: {{ coordinator.name }}{% if coordinator.title %}, {{ coordinator.title }}{% endif %}
E-mail: {{ coordinator.email }}{% if coordinator.phone %} · phone {{ coordinator.phone }}{% endif %}{% endif %}"""
_COORDINATOR_DA_HTML = """{% if coordinator %}<p>Jeres kontaktperson i kommunen: <strong>{{ coordinator.name }}</strong>{% if coordinator.title %}, {{ coordinator.title }}{% endif %}<br>
E-mail: <a href="mailto:{{ coordinator.email }}">{{ coordinator.email }}</a>{% if coordinator.phone %} · telefon {{ coordinator.phone }}{% endif %}</p>{% endif %}"""
_COORDINATOR_EN_HTML = """{% if coordinator %}<p>Your contact person at the municipality: <strong>{{ coordinator.name }}</strong>{% if coordinator.title %}, {{ coordinator.title }}{% endif %}<br>
E-mail: <a href="mailto:{{ coordinator.email }}">{{ coordinator.email }}</a>{% if coordinator.phone %} · phone {{ coordinator.phone }}{% endif %}</p>{% endif %}"""


def _da(subject: str, text: str, html: str) -> Wording:
    return Wording(
        subject.replace("{D}", DA_DATE),
        text.replace("{COORDINATOR}", _COORDINATOR_DA_TEXT).replace("{D}", DA_DATE),
        html.replace("{COORDINATOR}", _COORDINATOR_DA_HTML).replace("{D}", DA_DATE),
    )


def _en(subject: str, text: str, html: str) -> Wording:
    return Wording(
        subject.replace("{D}", EN_DATE),
        text.replace("{COORDINATOR}", _COORDINATOR_EN_TEXT).replace("{D}", EN_DATE),
        html.replace("{COORDINATOR}", _COORDINATOR_EN_HTML).replace("{D}", EN_DATE),
    )


DEFAULTS: dict[tuple[str, str], Wording] = {
    # --- to the business ---------------------------------------------------------------
    ("receipt", "da"): _da(
        "Vi har modtaget jeres henvendelse {{ case.reference }}",
        """Kære {{ recipient_name }}

Tak for jeres henvendelse om {{ case.service_types|join:", " }} for {{ case.business_name }}.
Sagsnummer: {{ case.reference }}

Vi screener henvendelsen senest {{ case.screening_due|date:"{D}" }}: vi ser, om alt er med, udpeger jeres kontaktperson og giver jer en forventet svardato.
{% if missing %}
Der mangler endnu:
{% for item in missing %}- {{ item }}
{% endfor %}
I kan sende det, der mangler, på jeres sag: {{ case.url }}{% else %}
Alle de oplysninger, vi skal bruge, er med.
Følg sagen her: {{ case.url }}{% endif %}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>Tak for jeres henvendelse om {{ case.service_types|join:", " }} for {{ case.business_name }}.<br>
Sagsnummer: <strong>{{ case.reference }}</strong></p>
<p>Vi screener henvendelsen senest <strong>{{ case.screening_due|date:"{D}" }}</strong>: vi ser, om alt er med, udpeger jeres kontaktperson og giver jer en forventet svardato.</p>
{% if missing %}<p>Der mangler endnu:</p>
<ul>{% for item in missing %}<li>{{ item }}</li>{% endfor %}</ul>
<p><a href="{{ case.url }}">Send det, der mangler, på jeres sag</a></p>{% else %}<p>Alle de oplysninger, vi skal bruge, er med.</p>
<p><a href="{{ case.url }}">Følg jeres sag</a></p>{% endif %}
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("receipt", "en"): _en(
        "We have received your inquiry {{ case.reference }}",
        """Dear {{ recipient_name }}

Thank you for your inquiry about {{ case.service_types|join:", " }} for {{ case.business_name }}.
Reference: {{ case.reference }}

We will screen the inquiry by {{ case.screening_due|date:"{D}" }}: we check that everything is there, appoint your contact person and give you an expected answer date.
{% if missing %}
Still missing:
{% for item in missing %}- {{ item }}
{% endfor %}
You can send what is missing on your case: {{ case.url }}{% else %}
We have everything we need.
Follow your case here: {{ case.url }}{% endif %}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>Thank you for your inquiry about {{ case.service_types|join:", " }} for {{ case.business_name }}.<br>
Reference: <strong>{{ case.reference }}</strong></p>
<p>We will screen the inquiry by <strong>{{ case.screening_due|date:"{D}" }}</strong>: we check that everything is there, appoint your contact person and give you an expected answer date.</p>
{% if missing %}<p>Still missing:</p>
<ul>{% for item in missing %}<li>{{ item }}</li>{% endfor %}</ul>
<p><a href="{{ case.url }}">Send what is missing on your case</a></p>{% else %}<p>We have everything we need.</p>
<p><a href="{{ case.url }}">Follow your case</a></p>{% endif %}
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("screening_result", "da"): _da(
        'Jeres henvendelse {{ case.reference }} er screenet – forventet svar {{ estimate|date:"{D}" }}',
        """Kære {{ recipient_name }}

Vi har screenet jeres henvendelse {{ case.reference }}.
{% if complete %}Alle oplysninger er modtaget.{% else %}Der mangler stadig noget fra jer (se leveranceplanen).{% endif %}

Forventet svar: {{ estimate|date:"{D}" }}

{COORDINATOR}

Leveranceplan
{% if business_items %}I leverer:
{% for item in business_items %}- {{ item.title }} – senest {{ item.due|date:"{D}" }}
{% endfor %}{% endif %}Kommunen leverer:
{% for item in municipality_items %}- {{ item.title }} – senest {{ item.due|date:"{D}" }}
{% endfor %}
Se sagen: {{ case.url }}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>Vi har screenet jeres henvendelse <strong>{{ case.reference }}</strong>.
{% if complete %}Alle oplysninger er modtaget.{% else %}Der mangler stadig noget fra jer (se leveranceplanen).{% endif %}</p>
<p>Forventet svar: <strong>{{ estimate|date:"{D}" }}</strong></p>
{COORDINATOR}
<h2>Leveranceplan</h2>
{% if business_items %}<p>I leverer:</p>
<ul>{% for item in business_items %}<li>{{ item.title }} – senest {{ item.due|date:"{D}" }}</li>{% endfor %}</ul>{% endif %}
<p>Kommunen leverer:</p>
<ul>{% for item in municipality_items %}<li>{{ item.title }} – senest {{ item.due|date:"{D}" }}</li>{% endfor %}</ul>
<p><a href="{{ case.url }}">Se sagen</a></p>
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("screening_result", "en"): _en(
        'Your inquiry {{ case.reference }} has been screened – expected answer {{ estimate|date:"{D}" }}',
        """Dear {{ recipient_name }}

We have screened your inquiry {{ case.reference }}.
{% if complete %}We have received all the information.{% else %}We are still missing something from you (see the delivery plan).{% endif %}

Expected answer: {{ estimate|date:"{D}" }}

{COORDINATOR}

Delivery plan
{% if business_items %}You deliver:
{% for item in business_items %}- {{ item.title }} – by {{ item.due|date:"{D}" }}
{% endfor %}{% endif %}The municipality delivers:
{% for item in municipality_items %}- {{ item.title }} – by {{ item.due|date:"{D}" }}
{% endfor %}
See the case: {{ case.url }}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>We have screened your inquiry <strong>{{ case.reference }}</strong>.
{% if complete %}We have received all the information.{% else %}We are still missing something from you (see the delivery plan).{% endif %}</p>
<p>Expected answer: <strong>{{ estimate|date:"{D}" }}</strong></p>
{COORDINATOR}
<h2>Delivery plan</h2>
{% if business_items %}<p>You deliver:</p>
<ul>{% for item in business_items %}<li>{{ item.title }} – by {{ item.due|date:"{D}" }}</li>{% endfor %}</ul>{% endif %}
<p>The municipality delivers:</p>
<ul>{% for item in municipality_items %}<li>{{ item.title }} – by {{ item.due|date:"{D}" }}</li>{% endfor %}</ul>
<p><a href="{{ case.url }}">See the case</a></p>
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("deliverable_reminder", "da"): _da(
        'Påmindelse: {{ deliverable.title }} senest {{ deliverable.due|date:"{D}" }} ({{ case.reference }})',
        """Kære {{ recipient_name }}

En påmindelse om sag {{ case.reference }}: kommunen mangler stadig
- {{ deliverable.title }} – senest {{ deliverable.due|date:"{D}" }}

Send det på jeres sag: {{ case.url }}

{COORDINATOR}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>En påmindelse om sag <strong>{{ case.reference }}</strong>: kommunen mangler stadig</p>
<ul><li>{{ deliverable.title }} – senest <strong>{{ deliverable.due|date:"{D}" }}</strong></li></ul>
<p><a href="{{ case.url }}">Send det på jeres sag</a></p>
{COORDINATOR}
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("deliverable_reminder", "en"): _en(
        'Reminder: {{ deliverable.title }} by {{ deliverable.due|date:"{D}" }} ({{ case.reference }})',
        """Dear {{ recipient_name }}

A reminder about case {{ case.reference }}: the municipality is still waiting for
- {{ deliverable.title }} – by {{ deliverable.due|date:"{D}" }}

Send it on your case: {{ case.url }}

{COORDINATOR}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>A reminder about case <strong>{{ case.reference }}</strong>: the municipality is still waiting for</p>
<ul><li>{{ deliverable.title }} – by <strong>{{ deliverable.due|date:"{D}" }}</strong></li></ul>
<p><a href="{{ case.url }}">Send it on your case</a></p>
{COORDINATOR}
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("deliverable_overdue", "da"): _da(
        "Fristen er overskredet: {{ deliverable.title }} ({{ case.reference }})",
        """Kære {{ recipient_name }}

Fristen for at levere »{{ deliverable.title }}« på sag {{ case.reference }} var {{ deliverable.due|date:"{D}" }}, og vi har ikke modtaget det endnu.
Sagen venter på jer, og svardatoen flytter sig, så længe den venter.

Send det på jeres sag: {{ case.url }}
Kontakt os, hvis I har brug for mere tid.

{COORDINATOR}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>Fristen for at levere »{{ deliverable.title }}« på sag <strong>{{ case.reference }}</strong> var <strong>{{ deliverable.due|date:"{D}" }}</strong>, og vi har ikke modtaget det endnu.
Sagen venter på jer, og svardatoen flytter sig, så længe den venter.</p>
<p><a href="{{ case.url }}">Send det på jeres sag</a>. Kontakt os, hvis I har brug for mere tid.</p>
{COORDINATOR}
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("deliverable_overdue", "en"): _en(
        "Deadline passed: {{ deliverable.title }} ({{ case.reference }})",
        """Dear {{ recipient_name }}

The deadline for "{{ deliverable.title }}" on case {{ case.reference }} was {{ deliverable.due|date:"{D}" }}, and we have not received it yet.
The case is waiting for you, and the answer date moves for as long as it waits.

Send it on your case: {{ case.url }}
Please contact us if you need more time.

{COORDINATOR}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>The deadline for "{{ deliverable.title }}" on case <strong>{{ case.reference }}</strong> was <strong>{{ deliverable.due|date:"{D}" }}</strong>, and we have not received it yet.
The case is waiting for you, and the answer date moves for as long as it waits.</p>
<p><a href="{{ case.url }}">Send it on your case</a>. Please contact us if you need more time.</p>
{COORDINATOR}
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("staff_message", "da"): _da(
        "Ny besked om jeres sag {{ case.reference }}",
        """Kære {{ recipient_name }}

{{ author }} har skrevet til jer om sag {{ case.reference }}:

{{ body }}

Svar på beskeden på jeres sag: {{ case.url }}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>{{ author }} har skrevet til jer om sag <strong>{{ case.reference }}</strong>:</p>
<blockquote>{{ body|linebreaksbr }}</blockquote>
<p><a href="{{ case.url }}">Svar på beskeden på jeres sag</a></p>
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("staff_message", "en"): _en(
        "New message about your case {{ case.reference }}",
        """Dear {{ recipient_name }}

{{ author }} has written to you about case {{ case.reference }}:

{{ body }}

Reply on your case: {{ case.url }}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>{{ author }} has written to you about case <strong>{{ case.reference }}</strong>:</p>
<blockquote>{{ body|linebreaksbr }}</blockquote>
<p><a href="{{ case.url }}">Reply on your case</a></p>
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("estimate_moved", "da"): _da(
        'Ny forventet svardato for {{ case.reference }}: {{ new|date:"{D}" }}',
        """Kære {{ recipient_name }}

Den forventede svardato for sag {{ case.reference }} er flyttet{% if old %} fra {{ old|date:"{D}" }}{% endif %} til {{ new|date:"{D}" }}.

Hvorfor: {% if reason %}{{ reason }}{% else %}sagen ventede {{ paused_working_days }} arbejdsdag{{ paused_working_days|pluralize:"e" }} på materiale fra jer, som vi modtog {{ material_received_on|date:"{D}" }}. Den tid lægges til svardatoen.{% endif %}

Se sagen: {{ case.url }}

{COORDINATOR}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>Den forventede svardato for sag <strong>{{ case.reference }}</strong> er flyttet{% if old %} fra {{ old|date:"{D}" }}{% endif %} til <strong>{{ new|date:"{D}" }}</strong>.</p>
<p>Hvorfor: {% if reason %}{{ reason }}{% else %}sagen ventede {{ paused_working_days }} arbejdsdag{{ paused_working_days|pluralize:"e" }} på materiale fra jer, som vi modtog {{ material_received_on|date:"{D}" }}. Den tid lægges til svardatoen.{% endif %}</p>
<p><a href="{{ case.url }}">Se sagen</a></p>
{COORDINATOR}
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("estimate_moved", "en"): _en(
        'New expected answer date for {{ case.reference }}: {{ new|date:"{D}" }}',
        """Dear {{ recipient_name }}

The expected answer date for case {{ case.reference }} has moved{% if old %} from {{ old|date:"{D}" }}{% endif %} to {{ new|date:"{D}" }}.

Why: {% if reason %}{{ reason }}{% else %}the case waited {{ paused_working_days }} working day{{ paused_working_days|pluralize }} for material from you, which we received on {{ material_received_on|date:"{D}" }}. That time is added to the answer date.{% endif %}

See the case: {{ case.url }}

{COORDINATOR}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>The expected answer date for case <strong>{{ case.reference }}</strong> has moved{% if old %} from {{ old|date:"{D}" }}{% endif %} to <strong>{{ new|date:"{D}" }}</strong>.</p>
<p>Why: {% if reason %}{{ reason }}{% else %}the case waited {{ paused_working_days }} working day{{ paused_working_days|pluralize }} for material from you, which we received on {{ material_received_on|date:"{D}" }}. That time is added to the answer date.{% endif %}</p>
<p><a href="{{ case.url }}">See the case</a></p>
{COORDINATOR}
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("answer_delivered", "da"): _da(
        "Svar på jeres henvendelse {{ case.reference }}",
        """Kære {{ recipient_name }}

Kommunen har givet svar på sag {{ case.reference }} ({{ answered_on|date:"{D}" }}):

{{ summary }}

Læs svaret og se sagen: {{ case.url }}

{COORDINATOR}

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>Kommunen har givet svar på sag <strong>{{ case.reference }}</strong> ({{ answered_on|date:"{D}" }}):</p>
<blockquote>{{ summary|linebreaksbr }}</blockquote>
<p><a href="{{ case.url }}">Læs svaret og se sagen</a></p>
{COORDINATOR}
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("answer_delivered", "en"): _en(
        "Answer to your inquiry {{ case.reference }}",
        """Dear {{ recipient_name }}

The municipality has answered case {{ case.reference }} ({{ answered_on|date:"{D}" }}):

{{ summary }}

Read the answer and see the case: {{ case.url }}

{COORDINATOR}

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>The municipality has answered case <strong>{{ case.reference }}</strong> ({{ answered_on|date:"{D}" }}):</p>
<blockquote>{{ summary|linebreaksbr }}</blockquote>
<p><a href="{{ case.url }}">Read the answer and see the case</a></p>
{COORDINATOR}
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("survey_invitation", "da"): _da(
        '{% if occasion == "inspection" %}Hvordan oplevede I tilsynsbesøget {{ visited_on|date:"{D}" }}?{% else %}Hvordan gik det med {{ case.reference }}?{% endif %} Tre minutter om vores service',
        """Kære {{ recipient_name }}

{% if occasion == "inspection" %}Tak for tilsynsbesøget den {{ visited_on|date:"{D}" }} (sag {{ case.reference }}). Hvordan oplevede I det: var besøget godt forberedt, var dialogen med os god, og kan I bruge rapporten?{% else %}Sag {{ case.reference }} er besvaret. Vi vil gerne høre, hvordan I oplevede forløbet: var det let at komme i kontakt med os, og holdt vi det, vi lovede?{% endif %}

Svar her (tager ca. tre minutter): {{ survey_url }}

Tak for hjælpen.

Venlig hilsen
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>{% if occasion == "inspection" %}Tak for tilsynsbesøget den <strong>{{ visited_on|date:"{D}" }}</strong> (sag {{ case.reference }}). Hvordan oplevede I det: var besøget godt forberedt, var dialogen med os god, og kan I bruge rapporten?{% else %}Sag <strong>{{ case.reference }}</strong> er besvaret. Vi vil gerne høre, hvordan I oplevede forløbet: var det let at komme i kontakt med os, og holdt vi det, vi lovede?{% endif %}</p>
<p><a href="{{ survey_url }}">Svar her</a> (tager ca. tre minutter).</p>
<p>Tak for hjælpen.</p>
<p>Venlig hilsen<br>{{ municipality.name }}</p>""",
    ),
    ("survey_invitation", "en"): _en(
        '{% if occasion == "inspection" %}How did you find the inspection visit on {{ visited_on|date:"{D}" }}?{% else %}How did it go with {{ case.reference }}?{% endif %} Three minutes about our service',
        """Dear {{ recipient_name }}

{% if occasion == "inspection" %}Thank you for the inspection visit on {{ visited_on|date:"{D}" }} (case {{ case.reference }}). How did you find it: was the visit well prepared, was the dialogue with us good, and can you use the report?{% else %}Case {{ case.reference }} has been answered. We would like to hear how you found it: was it easy to reach us, and did we keep our promises?{% endif %}

Answer here (about three minutes): {{ survey_url }}

Thank you.

Kind regards
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>{% if occasion == "inspection" %}Thank you for the inspection visit on <strong>{{ visited_on|date:"{D}" }}</strong> (case {{ case.reference }}). How did you find it: was the visit well prepared, was the dialogue with us good, and can you use the report?{% else %}Case <strong>{{ case.reference }}</strong> has been answered. We would like to hear how you found it: was it easy to reach us, and did we keep our promises?{% endif %}</p>
<p><a href="{{ survey_url }}">Answer here</a> (about three minutes).</p>
<p>Thank you.</p>
<p>Kind regards<br>{{ municipality.name }}</p>""",
    ),
    ("visit_booked", "da"): _da(
        "Tid til tilsynsbesøg aftalt: {{ visit.when }}",
        """Kære {{ recipient_name }}

Tak, fordi I valgte en tid. Vi kommer på miljøtilsyn ({{ visit.kind }}) hos {{ visit.address }}:
{{ visit.when }}

Det ser vi på: {{ visit.focus }}

Tilsynsførende: {{ visit.inspector.name }}{% if visit.inspector.title %}, {{ visit.inspector.title }}{% endif %}
E-mail: {{ visit.inspector.email }}{% if visit.inspector.phone %} · telefon {{ visit.inspector.phone }}{% endif %}

Tiden er vedhæftet som kalenderfil (tilsynsbesoeg.ics), så I kan lægge den i jeres kalender.
Passer tiden ikke alligevel, så skriv til os på sagen: {{ case.url }}

Venlig hilsen
{{ visit.inspector.name }}
{{ municipality.name }}""",
        """<p>Kære {{ recipient_name }}</p>
<p>Tak, fordi I valgte en tid. Vi kommer på miljøtilsyn ({{ visit.kind }}) hos {{ visit.address }}:<br>
<strong>{{ visit.when }}</strong></p>
<p>Det ser vi på: {{ visit.focus }}</p>
<p>Tilsynsførende: <strong>{{ visit.inspector.name }}</strong>{% if visit.inspector.title %}, {{ visit.inspector.title }}{% endif %}<br>
E-mail: <a href="mailto:{{ visit.inspector.email }}">{{ visit.inspector.email }}</a>{% if visit.inspector.phone %} · telefon {{ visit.inspector.phone }}{% endif %}</p>
<p>Tiden er vedhæftet som kalenderfil (tilsynsbesoeg.ics), så I kan lægge den i jeres kalender. Passer tiden ikke alligevel, så <a href="{{ case.url }}">skriv til os på sagen</a>.</p>
<p>Venlig hilsen<br>{{ visit.inspector.name }}<br>{{ municipality.name }}</p>""",
    ),
    ("visit_booked", "en"): _en(
        "Inspection visit booked: {{ visit.when }}",
        """Dear {{ recipient_name }}

Thank you for choosing a time. We will carry out an environmental inspection ({{ visit.kind }}) at {{ visit.address }}:
{{ visit.when }}

What we will look at: {{ visit.focus }}

Inspector: {{ visit.inspector.name }}{% if visit.inspector.title %}, {{ visit.inspector.title }}{% endif %}
E-mail: {{ visit.inspector.email }}{% if visit.inspector.phone %} · phone {{ visit.inspector.phone }}{% endif %}

The time is attached as a calendar file (tilsynsbesoeg.ics) for your calendar.
If the time no longer suits you, write to us on the case: {{ case.url }}

Kind regards
{{ visit.inspector.name }}
{{ municipality.name }}""",
        """<p>Dear {{ recipient_name }}</p>
<p>Thank you for choosing a time. We will carry out an environmental inspection ({{ visit.kind }}) at {{ visit.address }}:<br>
<strong>{{ visit.when }}</strong></p>
<p>What we will look at: {{ visit.focus }}</p>
<p>Inspector: <strong>{{ visit.inspector.name }}</strong>{% if visit.inspector.title %}, {{ visit.inspector.title }}{% endif %}<br>
E-mail: <a href="mailto:{{ visit.inspector.email }}">{{ visit.inspector.email }}</a>{% if visit.inspector.phone %} · phone {{ visit.inspector.phone }}{% endif %}</p>
<p>The time is attached as a calendar file (tilsynsbesoeg.ics) for your calendar. If the time no longer suits you, <a href="{{ case.url }}">write to us on the case</a>.</p>
<p>Kind regards<br>{{ visit.inspector.name }}<br>{{ municipality.name }}</p>""",
    ),
    # --- to staff ------------------------------------------------------------------------
    ("coordinator_digest", "da"): _da(
        'Dagens overblik {{ day|date:"{D}" }}: {{ total }} punkt{{ total|pluralize:"er" }}',
        """Godmorgen {{ recipient_name }}

Dit overblik for {{ day|date:"{D}" }}.
{% if screenings_overdue %}
Screeningsfrist overskredet:
{% for row in screenings_overdue %}- {{ row.reference }} {{ row.business_name }}: frist {{ row.date|date:"{D}" }}{% if row.unassigned %} (ikke fordelt){% endif %} {{ row.url }}
{% endfor %}{% endif %}{% if screenings_due %}
Skal screenes i dag eller næste arbejdsdag:
{% for row in screenings_due %}- {{ row.reference }} {{ row.business_name }}: frist {{ row.date|date:"{D}" }}{% if row.unassigned %} (ikke fordelt){% endif %} {{ row.url }}
{% endfor %}{% endif %}{% if overdue_deliverables %}
Leverancer over fristen:
{% for row in overdue_deliverables %}- {{ row.reference }} {{ row.business_name }}: {{ row.party }} – {{ row.title }}, frist {{ row.date|date:"{D}" }} {{ row.url }}
{% endfor %}{% endif %}{% if estimates_at_risk %}
Svardato i fare (opgaver stadig åbne):
{% for row in estimates_at_risk %}- {{ row.reference }} {{ row.business_name }}: svar {{ row.date|date:"{D}" }}, åbne opgaver hos {{ row.departments|join:", " }} {{ row.url }}
{% endfor %}{% endif %}
Arbejdsbordet: {{ workbench_url }}""",
        """<p>Godmorgen {{ recipient_name }}</p>
<p>Dit overblik for <strong>{{ day|date:"{D}" }}</strong>.</p>
{% if screenings_overdue %}<h2>Screeningsfrist overskredet</h2>
<ul>{% for row in screenings_overdue %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: frist {{ row.date|date:"{D}" }}{% if row.unassigned %} (ikke fordelt){% endif %}</li>{% endfor %}</ul>{% endif %}
{% if screenings_due %}<h2>Skal screenes i dag eller næste arbejdsdag</h2>
<ul>{% for row in screenings_due %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: frist {{ row.date|date:"{D}" }}{% if row.unassigned %} (ikke fordelt){% endif %}</li>{% endfor %}</ul>{% endif %}
{% if overdue_deliverables %}<h2>Leverancer over fristen</h2>
<ul>{% for row in overdue_deliverables %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: {{ row.party }} – {{ row.title }}, frist {{ row.date|date:"{D}" }}</li>{% endfor %}</ul>{% endif %}
{% if estimates_at_risk %}<h2>Svardato i fare</h2>
<ul>{% for row in estimates_at_risk %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: svar {{ row.date|date:"{D}" }}, åbne opgaver hos {{ row.departments|join:", " }}</li>{% endfor %}</ul>{% endif %}
<p><a href="{{ workbench_url }}">Arbejdsbordet</a></p>""",
    ),
    ("coordinator_digest", "en"): _en(
        'Today\'s overview {{ day|date:"{D}" }}: {{ total }} item{{ total|pluralize }}',
        """Good morning {{ recipient_name }}

Your overview for {{ day|date:"{D}" }}.
{% if screenings_overdue %}
Screening deadline passed:
{% for row in screenings_overdue %}- {{ row.reference }} {{ row.business_name }}: due {{ row.date|date:"{D}" }}{% if row.unassigned %} (unassigned){% endif %} {{ row.url }}
{% endfor %}{% endif %}{% if screenings_due %}
To screen today or on the next working day:
{% for row in screenings_due %}- {{ row.reference }} {{ row.business_name }}: due {{ row.date|date:"{D}" }}{% if row.unassigned %} (unassigned){% endif %} {{ row.url }}
{% endfor %}{% endif %}{% if overdue_deliverables %}
Deliverables past their deadline:
{% for row in overdue_deliverables %}- {{ row.reference }} {{ row.business_name }}: {{ row.party }} – {{ row.title }}, due {{ row.date|date:"{D}" }} {{ row.url }}
{% endfor %}{% endif %}{% if estimates_at_risk %}
Answer dates at risk (tasks still open):
{% for row in estimates_at_risk %}- {{ row.reference }} {{ row.business_name }}: answer {{ row.date|date:"{D}" }}, open tasks at {{ row.departments|join:", " }} {{ row.url }}
{% endfor %}{% endif %}
Workbench: {{ workbench_url }}""",
        """<p>Good morning {{ recipient_name }}</p>
<p>Your overview for <strong>{{ day|date:"{D}" }}</strong>.</p>
{% if screenings_overdue %}<h2>Screening deadline passed</h2>
<ul>{% for row in screenings_overdue %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: due {{ row.date|date:"{D}" }}{% if row.unassigned %} (unassigned){% endif %}</li>{% endfor %}</ul>{% endif %}
{% if screenings_due %}<h2>To screen today or on the next working day</h2>
<ul>{% for row in screenings_due %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: due {{ row.date|date:"{D}" }}{% if row.unassigned %} (unassigned){% endif %}</li>{% endfor %}</ul>{% endif %}
{% if overdue_deliverables %}<h2>Deliverables past their deadline</h2>
<ul>{% for row in overdue_deliverables %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: {{ row.party }} – {{ row.title }}, due {{ row.date|date:"{D}" }}</li>{% endfor %}</ul>{% endif %}
{% if estimates_at_risk %}<h2>Answer dates at risk</h2>
<ul>{% for row in estimates_at_risk %}<li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.business_name }}: answer {{ row.date|date:"{D}" }}, open tasks at {{ row.departments|join:", " }}</li>{% endfor %}</ul>{% endif %}
<p><a href="{{ workbench_url }}">Workbench</a></p>""",
    ),
    ("department_task", "da"): _da(
        "Ny opgave til {{ department }}: {{ case.reference }} {{ case.business_name }}",
        """Til {{ recipient_name }}

{{ department }} har fået en opgave på sag {{ case.reference }} ({{ case.business_name }}, CVR {{ case.cvr }}):
{% for name in service_types %}- {{ name }}
{% endfor %}
{{ department }}s frist: {{ due|date:"{D}" }}{% if case.estimate and case.estimate != due %} (svar til virksomheden samlet: {{ case.estimate|date:"{D}" }}){% endif %}
Tovholder: {{ coordinator_name|default:"ikke udpeget" }}

Se sagen: {{ case.url }}""",
        """<p>Til {{ recipient_name }}</p>
<p>{{ department }} har fået en opgave på sag <strong>{{ case.reference }}</strong> ({{ case.business_name }}, CVR {{ case.cvr }}):</p>
<ul>{% for name in service_types %}<li>{{ name }}</li>{% endfor %}</ul>
<p>{{ department }}s frist: <strong>{{ due|date:"{D}" }}</strong>{% if case.estimate and case.estimate != due %} (svar til virksomheden samlet: {{ case.estimate|date:"{D}" }}){% endif %}<br>
Tovholder: {{ coordinator_name|default:"ikke udpeget" }}</p>
<p><a href="{{ case.url }}">Se sagen</a></p>""",
    ),
    ("department_task", "en"): _en(
        "New task for {{ department }}: {{ case.reference }} {{ case.business_name }}",
        """To {{ recipient_name }}

{{ department }} has a new task on case {{ case.reference }} ({{ case.business_name }}, CVR {{ case.cvr }}):
{% for name in service_types %}- {{ name }}
{% endfor %}
{{ department }}'s deadline: {{ due|date:"{D}" }}{% if case.estimate and case.estimate != due %} (overall answer to the business: {{ case.estimate|date:"{D}" }}){% endif %}
Coordinator: {{ coordinator_name|default:"not appointed" }}

See the case: {{ case.url }}""",
        """<p>To {{ recipient_name }}</p>
<p>{{ department }} has a new task on case <strong>{{ case.reference }}</strong> ({{ case.business_name }}, CVR {{ case.cvr }}):</p>
<ul>{% for name in service_types %}<li>{{ name }}</li>{% endfor %}</ul>
<p>{{ department }}'s deadline: <strong>{{ due|date:"{D}" }}</strong>{% if case.estimate and case.estimate != due %} (overall answer to the business: {{ case.estimate|date:"{D}" }}){% endif %}<br>
Coordinator: {{ coordinator_name|default:"not appointed" }}</p>
<p><a href="{{ case.url }}">See the case</a></p>""",
    ),
    ("screening_escalation", "da"): _da(
        "Screeningsfrist overskredet: {{ case.reference }} {{ case.business_name }}",
        """Til {{ recipient_name }}

Sag {{ case.reference }} ({{ case.business_name }}, CVR {{ case.cvr }}) skulle have været screenet senest {{ case.screening_due|date:"{D}" }} og er det ikke endnu ({{ working_days_late }} arbejdsdag{{ working_days_late|pluralize:"e" }} over fristen).
Ydelser: {{ case.service_types|join:", " }}
Tovholder: {{ coordinator_name|default:"ikke fordelt" }}

Se sagen: {{ case.url }}""",
        """<p>Til {{ recipient_name }}</p>
<p>Sag <strong>{{ case.reference }}</strong> ({{ case.business_name }}, CVR {{ case.cvr }}) skulle have været screenet senest <strong>{{ case.screening_due|date:"{D}" }}</strong> og er det ikke endnu ({{ working_days_late }} arbejdsdag{{ working_days_late|pluralize:"e" }} over fristen).</p>
<p>Ydelser: {{ case.service_types|join:", " }}<br>
Tovholder: {{ coordinator_name|default:"ikke fordelt" }}</p>
<p><a href="{{ case.url }}">Se sagen</a></p>""",
    ),
    ("screening_escalation", "en"): _en(
        "Screening deadline passed: {{ case.reference }} {{ case.business_name }}",
        """To {{ recipient_name }}

Case {{ case.reference }} ({{ case.business_name }}, CVR {{ case.cvr }}) should have been screened by {{ case.screening_due|date:"{D}" }} and has not been yet ({{ working_days_late }} working day{{ working_days_late|pluralize }} late).
Service types: {{ case.service_types|join:", " }}
Coordinator: {{ coordinator_name|default:"unassigned" }}

See the case: {{ case.url }}""",
        """<p>To {{ recipient_name }}</p>
<p>Case <strong>{{ case.reference }}</strong> ({{ case.business_name }}, CVR {{ case.cvr }}) should have been screened by <strong>{{ case.screening_due|date:"{D}" }}</strong> and has not been yet ({{ working_days_late }} working day{{ working_days_late|pluralize }} late).</p>
<p>Service types: {{ case.service_types|join:", " }}<br>
Coordinator: {{ coordinator_name|default:"unassigned" }}</p>
<p><a href="{{ case.url }}">See the case</a></p>""",
    ),
    ("inspection_report_due", "da"): _da(
        '{% if overdue %}Over fristen{% else %}Frist om {{ days }} dag{{ days|pluralize:"e" }}{% endif %}: {% if clock == "publish" %}offentliggørelse af {% endif %}tilsynsrapport {{ case.reference }} {{ case.business_name }}',
        """Til {{ recipient_name }}

{% if clock == "publish" %}Tilsynsrapporten for {{ visit.unit_name }} (P-nummer {{ visit.p_number }}, {{ case.business_name }}) skal offentliggøres senest {{ due|date:"{D}" }} – 4 måneder efter tilsynet.{% else %}Tilsynsrapporten for {{ visit.unit_name }} (P-nummer {{ visit.p_number }}, {{ case.business_name }}) skal sendes til virksomheden senest {{ due|date:"{D}" }} – 2 måneder efter tilsynet.{% endif %}
{% if overdue %}Fristen er overskredet med {{ days }} dag{{ days|pluralize:"e" }}.{% else %}Der er {{ days }} dag{{ days|pluralize:"e" }} tilbage.{% endif %}
Tilsynet blev udført {{ visit.visited_on|date:"{D}" }} ({{ visit.kind }}). Sag {{ case.reference }}.

Se tilsynsbesøget: {{ visit.url }}""",
        """<p>Til {{ recipient_name }}</p>
<p>{% if clock == "publish" %}Tilsynsrapporten for {{ visit.unit_name }} (P-nummer {{ visit.p_number }}, {{ case.business_name }}) skal offentliggøres senest <strong>{{ due|date:"{D}" }}</strong> – 4 måneder efter tilsynet.{% else %}Tilsynsrapporten for {{ visit.unit_name }} (P-nummer {{ visit.p_number }}, {{ case.business_name }}) skal sendes til virksomheden senest <strong>{{ due|date:"{D}" }}</strong> – 2 måneder efter tilsynet.{% endif %}</p>
<p>{% if overdue %}<strong>Fristen er overskredet med {{ days }} dag{{ days|pluralize:"e" }}.</strong>{% else %}Der er {{ days }} dag{{ days|pluralize:"e" }} tilbage.{% endif %}<br>
Tilsynet blev udført {{ visit.visited_on|date:"{D}" }} ({{ visit.kind }}). Sag {{ case.reference }}.</p>
<p><a href="{{ visit.url }}">Se tilsynsbesøget</a></p>""",
    ),
    ("inspection_report_due", "en"): _en(
        '{% if overdue %}Deadline passed{% else %}Due in {{ days }} day{{ days|pluralize }}{% endif %}: {% if clock == "publish" %}publication of {% endif %}inspection report {{ case.reference }} {{ case.business_name }}',
        """To {{ recipient_name }}

{% if clock == "publish" %}The inspection report for {{ visit.unit_name }} (P-number {{ visit.p_number }}, {{ case.business_name }}) must be published by {{ due|date:"{D}" }} – 4 months after the inspection.{% else %}The inspection report for {{ visit.unit_name }} (P-number {{ visit.p_number }}, {{ case.business_name }}) must be sent to the business by {{ due|date:"{D}" }} – 2 months after the inspection.{% endif %}
{% if overdue %}The deadline passed {{ days }} day{{ days|pluralize }} ago.{% else %}{{ days }} day{{ days|pluralize }} left.{% endif %}
The inspection took place on {{ visit.visited_on|date:"{D}" }} ({{ visit.kind }}). Case {{ case.reference }}.

See the visit: {{ visit.url }}""",
        """<p>To {{ recipient_name }}</p>
<p>{% if clock == "publish" %}The inspection report for {{ visit.unit_name }} (P-number {{ visit.p_number }}, {{ case.business_name }}) must be published by <strong>{{ due|date:"{D}" }}</strong> – 4 months after the inspection.{% else %}The inspection report for {{ visit.unit_name }} (P-number {{ visit.p_number }}, {{ case.business_name }}) must be sent to the business by <strong>{{ due|date:"{D}" }}</strong> – 2 months after the inspection.{% endif %}</p>
<p>{% if overdue %}<strong>The deadline passed {{ days }} day{{ days|pluralize }} ago.</strong>{% else %}{{ days }} day{{ days|pluralize }} left.{% endif %}<br>
The inspection took place on {{ visit.visited_on|date:"{D}" }} ({{ visit.kind }}). Case {{ case.reference }}.</p>
<p><a href="{{ visit.url }}">See the visit</a></p>""",
    ),
    ("business_message", "da"): _da(
        "Ny besked fra {{ case.business_name }} på {{ case.reference }}",
        """Til {{ recipient_name }}

{{ author }} fra {{ case.business_name }} har skrevet på sag {{ case.reference }}:

{{ body }}

Svar virksomheden på sagen: {{ case.url }}
(Beskeden står som ulæst i arbejdsbordet, til tovholderen eller en sagsbehandler med en opgave på sagen har åbnet den.)""",
        """<p>Til {{ recipient_name }}</p>
<p>{{ author }} fra {{ case.business_name }} har skrevet på sag <strong>{{ case.reference }}</strong>:</p>
<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d5d5d5;white-space:pre-wrap">{{ body }}</blockquote>
<p><a href="{{ case.url }}">Svar virksomheden på sagen</a></p>
<p style="font-size:14px;color:#545454">Beskeden står som ulæst i arbejdsbordet, til tovholderen eller en sagsbehandler med en opgave på sagen har åbnet den.</p>""",
    ),
    ("business_message", "en"): _en(
        "New message from {{ case.business_name }} on {{ case.reference }}",
        """To {{ recipient_name }}

{{ author }} from {{ case.business_name }} has written on case {{ case.reference }}:

{{ body }}

Answer the business on the case: {{ case.url }}
(The message is unread in the workbench until the coordinator or a caseworker with a task on the case has opened it.)""",
        """<p>To {{ recipient_name }}</p>
<p>{{ author }} from {{ case.business_name }} has written on case <strong>{{ case.reference }}</strong>:</p>
<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d5d5d5;white-space:pre-wrap">{{ body }}</blockquote>
<p><a href="{{ case.url }}">Answer the business on the case</a></p>
<p style="font-size:14px;color:#545454">The message is unread in the workbench until the coordinator or a caseworker with a task on the case has opened it.</p>""",
    ),
    ("visit_booked_inspector", "da"): _da(
        "Tilsynsbesøg aftalt: {{ visit.unit_name }} {{ visit.when }}",
        """Til {{ recipient_name }}

{{ case.business_name }} har valgt en tid til tilsynsbesøget ({{ visit.kind }}) hos {{ visit.address }}:
{{ visit.when }}

Kontaktperson hos virksomheden: {{ visit.contact.name }}{% if visit.contact.email %}, {{ visit.contact.email }}{% endif %}{% if visit.contact.phone %}, telefon {{ visit.contact.phone }}{% endif %}
Sag {{ case.reference }}. De andre tilbudte tider er trukket tilbage.

Tiden er vedhæftet som kalenderfil (tilsynsbesoeg.ics).
Se tilsynsbesøget: {{ visit.url }}""",
        """<p>Til {{ recipient_name }}</p>
<p>{{ case.business_name }} har valgt en tid til tilsynsbesøget ({{ visit.kind }}) hos {{ visit.address }}:<br>
<strong>{{ visit.when }}</strong></p>
<p>Kontaktperson hos virksomheden: {{ visit.contact.name }}{% if visit.contact.email %}, <a href="mailto:{{ visit.contact.email }}">{{ visit.contact.email }}</a>{% endif %}{% if visit.contact.phone %}, telefon {{ visit.contact.phone }}{% endif %}<br>
Sag {{ case.reference }}. De andre tilbudte tider er trukket tilbage.</p>
<p>Tiden er vedhæftet som kalenderfil (tilsynsbesoeg.ics).</p>
<p><a href="{{ visit.url }}">Se tilsynsbesøget</a></p>""",
    ),
    ("visit_booked_inspector", "en"): _en(
        "Inspection visit booked: {{ visit.unit_name }} {{ visit.when }}",
        """To {{ recipient_name }}

{{ case.business_name }} has chosen a time for the inspection visit ({{ visit.kind }}) at {{ visit.address }}:
{{ visit.when }}

Contact at the business: {{ visit.contact.name }}{% if visit.contact.email %}, {{ visit.contact.email }}{% endif %}{% if visit.contact.phone %}, phone {{ visit.contact.phone }}{% endif %}
Case {{ case.reference }}. The other times offered have been withdrawn.

The time is attached as a calendar file (tilsynsbesoeg.ics).
See the visit: {{ visit.url }}""",
        """<p>To {{ recipient_name }}</p>
<p>{{ case.business_name }} has chosen a time for the inspection visit ({{ visit.kind }}) at {{ visit.address }}:<br>
<strong>{{ visit.when }}</strong></p>
<p>Contact at the business: {{ visit.contact.name }}{% if visit.contact.email %}, <a href="mailto:{{ visit.contact.email }}">{{ visit.contact.email }}</a>{% endif %}{% if visit.contact.phone %}, phone {{ visit.contact.phone }}{% endif %}<br>
Case {{ case.reference }}. The other times offered have been withdrawn.</p>
<p>The time is attached as a calendar file (tilsynsbesoeg.ics).</p>
<p><a href="{{ visit.url }}">See the visit</a></p>""",
    ),
}

_CASE = "case (reference, business_name, cvr, service_types, screening_due, estimate, url)"
_COORD = "coordinator (name, title, email, phone)"
_VISIT = (
    "visit (when, starts, ends, kind, address, unit_name, p_number, focus, url, "
    "inspector (name, title, email, phone), contact (name, email, phone))"
)

VARIABLES: dict[str, str] = {
    "receipt": f"{_CASE}, missing (list of what is missing)",
    "screening_result": f"{_CASE}, {_COORD}, estimate, complete, business_items and "
    "municipality_items (title, due)",
    "deliverable_reminder": f"{_CASE}, {_COORD}, deliverable (title, due)",
    "deliverable_overdue": f"{_CASE}, {_COORD}, deliverable (title, due)",
    "staff_message": f"{_CASE}, {_COORD}, author, body",
    "estimate_moved": f"{_CASE}, {_COORD}, old, new, reason (staff's, or empty), "
    "paused_working_days, material_received_on",
    "answer_delivered": f"{_CASE}, {_COORD}, summary, answered_on",
    "survey_invitation": f"{_CASE}, {_COORD}, survey_url, occasion (answer, or inspection: "
    "after an inspection visit), visited_on (the visit's date; inspection only)",
    "coordinator_digest": "day, total, screenings_overdue, screenings_due, overdue_deliverables, "
    "estimates_at_risk (rows: reference, business_name, date, url, …), workbench_url",
    "department_task": f"{_CASE}, department, service_types, coordinator_name, due (the "
    "department's own date: its answer line in the delivery plan)",
    "business_message": f"{_CASE}, author (the business's writer), body",
    "visit_booked": f"{_CASE}, {_COORD}, " + _VISIT,
    "visit_booked_inspector": f"{_CASE}, " + _VISIT,
    "screening_escalation": f"{_CASE}, working_days_late, coordinator_name",
    "inspection_report_due": f"{_CASE}, clock (report or publish), due, days (left, or late), "
    "overdue, visit (unit_name, p_number, visited_on, kind, url)",
}

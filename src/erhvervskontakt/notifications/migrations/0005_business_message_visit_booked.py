"""Two e-mails to staff and one to the business: a message from the business (to the
coordinator and the caseworkers with a task on the case), a booked inspection visit (to the
business and to the inspector, with a calendar file); and the department-task e-mail names
the department's own date (``due``), not the case's estimate.

Stored ``department_task`` rows that are still the old default get the new one; a row an
administrator has edited is left as it is.
"""

from django.db import migrations, models

NEW_KINDS = ("business_message", "visit_booked", "visit_booked_inspector")

OLD_DEPARTMENT_TASK = {'da': {'html': '<p>Til {{ recipient_name }}</p>\n'
                '<p>{{ department }} har fået en opgave på sag <strong>{{ case.reference '
                '}}</strong> ({{ case.business_name }}, CVR {{ case.cvr }}):</p>\n'
                '<ul>{% for name in service_types %}<li>{{ name }}</li>{% endfor %}</ul>\n'
                '<p>Forventet svar til virksomheden: <strong>{{ case.estimate|date:"j. F Y" '
                '}}</strong><br>\n'
                'Tovholder: {{ coordinator_name|default:"ikke udpeget" }}</p>\n'
                '<p><a href="{{ case.url }}">Se sagen</a></p>',
        'subject': 'Ny opgave til {{ department }}: {{ case.reference }} {{ '
                   'case.business_name }}',
        'text': 'Til {{ recipient_name }}\n'
                '\n'
                '{{ department }} har fået en opgave på sag {{ case.reference }} ({{ '
                'case.business_name }}, CVR {{ case.cvr }}):\n'
                '{% for name in service_types %}- {{ name }}\n'
                '{% endfor %}\n'
                'Forventet svar til virksomheden: {{ case.estimate|date:"j. F Y" }}\n'
                'Tovholder: {{ coordinator_name|default:"ikke udpeget" }}\n'
                '\n'
                'Se sagen: {{ case.url }}'},
 'en': {'html': '<p>To {{ recipient_name }}</p>\n'
                '<p>{{ department }} has a new task on case <strong>{{ case.reference '
                '}}</strong> ({{ case.business_name }}, CVR {{ case.cvr }}):</p>\n'
                '<ul>{% for name in service_types %}<li>{{ name }}</li>{% endfor %}</ul>\n'
                '<p>Expected answer to the business: <strong>{{ case.estimate|date:"j F Y" '
                '}}</strong><br>\n'
                'Coordinator: {{ coordinator_name|default:"not appointed" }}</p>\n'
                '<p><a href="{{ case.url }}">See the case</a></p>',
        'subject': 'New task for {{ department }}: {{ case.reference }} {{ case.business_name '
                   '}}',
        'text': 'To {{ recipient_name }}\n'
                '\n'
                '{{ department }} has a new task on case {{ case.reference }} ({{ '
                'case.business_name }}, CVR {{ case.cvr }}):\n'
                '{% for name in service_types %}- {{ name }}\n'
                '{% endfor %}\n'
                'Expected answer to the business: {{ case.estimate|date:"j F Y" }}\n'
                'Coordinator: {{ coordinator_name|default:"not appointed" }}\n'
                '\n'
                'See the case: {{ case.url }}'}}


def forwards(apps, schema_editor):
    from erhvervskontakt.notifications.defaults import DEFAULTS

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (kind, language), wording in DEFAULTS.items():
        new = {"subject": wording.subject, "text": wording.text, "html": wording.html}
        if kind in NEW_KINDS:
            MessageTemplate.objects.get_or_create(kind=kind, language=language, defaults=new)
        elif kind == "department_task" and language in OLD_DEPARTMENT_TASK:
            MessageTemplate.objects.filter(
                kind=kind, language=language, **OLD_DEPARTMENT_TASK[language]
            ).update(**new)


def backwards(apps, schema_editor):
    from erhvervskontakt.notifications.defaults import DEFAULTS

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for language, old in OLD_DEPARTMENT_TASK.items():
        wording = DEFAULTS[("department_task", language)]
        MessageTemplate.objects.filter(
            kind="department_task",
            language=language,
            subject=wording.subject,
            text=wording.text,
            html=wording.html,
        ).update(**old)


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_survey_invitation_inspection'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='attachments',
            field=models.JSONField(blank=True, default=list, verbose_name='vedhæftede filer'),
        ),
        migrations.AlterField(
            model_name='messagetemplate',
            name='kind',
            field=models.CharField(choices=[('receipt', 'Kvittering for henvendelse'), ('screening_result', 'Resultat af screening'), ('deliverable_reminder', 'Påmindelse om leverance'), ('deliverable_overdue', 'Leverance over fristen'), ('staff_message', 'Ny besked fra kommunen'), ('estimate_moved', 'Svardato flyttet'), ('answer_delivered', 'Svar givet'), ('survey_invitation', 'Invitation til tilfredshedsmåling'), ('visit_booked', 'Bekræftelse af tid til tilsynsbesøg'), ('coordinator_digest', 'Dagligt overblik til tovholder'), ('department_task', 'Ny opgave til afdeling'), ('screening_escalation', 'Eskalering: screeningsfrist overskredet'), ('inspection_report_due', 'Frist for tilsynsrapport'), ('business_message', 'Ny besked fra virksomheden'), ('visit_booked_inspector', 'Tid til tilsynsbesøg aftalt')], max_length=40, verbose_name='slags'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('receipt', 'Kvittering for henvendelse'), ('screening_result', 'Resultat af screening'), ('deliverable_reminder', 'Påmindelse om leverance'), ('deliverable_overdue', 'Leverance over fristen'), ('staff_message', 'Ny besked fra kommunen'), ('estimate_moved', 'Svardato flyttet'), ('answer_delivered', 'Svar givet'), ('survey_invitation', 'Invitation til tilfredshedsmåling'), ('visit_booked', 'Bekræftelse af tid til tilsynsbesøg'), ('coordinator_digest', 'Dagligt overblik til tovholder'), ('department_task', 'Ny opgave til afdeling'), ('screening_escalation', 'Eskalering: screeningsfrist overskredet'), ('inspection_report_due', 'Frist for tilsynsrapport'), ('business_message', 'Ny besked fra virksomheden'), ('visit_booked_inspector', 'Tid til tilsynsbesøg aftalt')], max_length=40, verbose_name='slags'),
        ),
        migrations.RunPython(forwards, backwards),
    ]

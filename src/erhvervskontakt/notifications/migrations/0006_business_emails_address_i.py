"""The e-mails to a business address it as »I/jer/jeres« throughout, as the portal does
(»Vi har modtaget jeres henvendelse …«, »Jeres kontaktperson i kommunen …«).

A stored template still worded as the old default (subject, text and HTML alike) gets the new
wording; a template an administrator has edited is left as it is. Both wordings are frozen
here, so a later change of ``notifications.defaults`` does not change what this migration does.
"""

from django.db import migrations

# kind -> language -> {"old": ..., "new": ...}, each {"subject", "text", "html"}
REWORDED = {
    "answer_delivered": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Kommunen har givet svar på sag <strong>{{ "
                "case.reference }}</strong> ({{ "
                'answered_on|date:"j. F Y" }}):</p>\n'
                "<blockquote>{{ summary|linebreaksbr "
                "}}</blockquote>\n"
                '<p><a href="{{ case.url }}">Læs svaret og se '
                "sagen</a></p>\n"
                "{% if coordinator %}<p>Jeres kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif %}\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Svar på jeres henvendelse {{ case.reference }}",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Kommunen har givet svar på sag {{ case.reference "
                '}} ({{ answered_on|date:"j. F Y" }}):\n'
                "\n"
                "{{ summary }}\n"
                "\n"
                "Læs svaret og se sagen: {{ case.url }}\n"
                "\n"
                "{% if coordinator %}Jeres kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title }}{% "
                "endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Kommunen har givet svar på sag <strong>{{ "
                "case.reference }}</strong> ({{ "
                'answered_on|date:"j. F Y" }}):</p>\n'
                "<blockquote>{{ summary|linebreaksbr "
                "}}</blockquote>\n"
                '<p><a href="{{ case.url }}">Læs svaret og se '
                "sagen</a></p>\n"
                "{% if coordinator %}<p>Din kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif %}\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Svar på din henvendelse {{ case.reference }}",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Kommunen har givet svar på sag {{ case.reference "
                '}} ({{ answered_on|date:"j. F Y" }}):\n'
                "\n"
                "{{ summary }}\n"
                "\n"
                "Læs svaret og se sagen: {{ case.url }}\n"
                "\n"
                "{% if coordinator %}Din kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title }}{% "
                "endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
    "deliverable_overdue": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Fristen for at levere »{{ "
                "deliverable.title }}« på sag <strong>{{ "
                "case.reference }}</strong> var <strong>{{ "
                'deliverable.due|date:"j. F Y" }}</strong>, og '
                "vi har ikke modtaget det endnu.\n"
                "Sagen venter på jer, og svardatoen flytter "
                "sig, så længe den venter.</p>\n"
                '<p><a href="{{ case.url }}">Send det på jeres '
                "sag</a>. Kontakt os, hvis I har brug for mere "
                "tid.</p>\n"
                "{% if coordinator %}<p>Jeres kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif "
                "%}\n"
                "<p>Venlig hilsen<br>{{ municipality.name "
                "}}</p>",
                "subject": "Fristen er overskredet: {{ deliverable.title }} ({{ case.reference }})",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Fristen for at levere »{{ deliverable.title "
                "}}« på sag {{ case.reference }} var {{ "
                'deliverable.due|date:"j. F Y" }}, og vi har '
                "ikke modtaget det endnu.\n"
                "Sagen venter på jer, og svardatoen flytter "
                "sig, så længe den venter.\n"
                "\n"
                "Send det på jeres sag: {{ case.url }}\n"
                "Kontakt os, hvis I har brug for mere tid.\n"
                "\n"
                "{% if coordinator %}Jeres kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title "
                "}}{% endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Fristen for at levere »{{ "
                "deliverable.title }}« på sag <strong>{{ "
                "case.reference }}</strong> var <strong>{{ "
                'deliverable.due|date:"j. F Y" }}</strong>, og '
                "vi har ikke modtaget det endnu.\n"
                "Sagen venter på jer, og svardatoen flytter "
                "sig, så længe den venter.</p>\n"
                '<p><a href="{{ case.url }}">Send det på din '
                "sag</a>. Kontakt os, hvis I har brug for mere "
                "tid.</p>\n"
                "{% if coordinator %}<p>Din kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif "
                "%}\n"
                "<p>Venlig hilsen<br>{{ municipality.name "
                "}}</p>",
                "subject": "Fristen er overskredet: {{ deliverable.title }} ({{ case.reference }})",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Fristen for at levere »{{ deliverable.title "
                "}}« på sag {{ case.reference }} var {{ "
                'deliverable.due|date:"j. F Y" }}, og vi har '
                "ikke modtaget det endnu.\n"
                "Sagen venter på jer, og svardatoen flytter "
                "sig, så længe den venter.\n"
                "\n"
                "Send det på din sag: {{ case.url }}\n"
                "Kontakt os, hvis I har brug for mere tid.\n"
                "\n"
                "{% if coordinator %}Din kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title "
                "}}{% endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
    "deliverable_reminder": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>En påmindelse om sag <strong>{{ "
                "case.reference }}</strong>: kommunen mangler "
                "stadig</p>\n"
                "<ul><li>{{ deliverable.title }} – senest "
                '<strong>{{ deliverable.due|date:"j. F Y" '
                "}}</strong></li></ul>\n"
                '<p><a href="{{ case.url }}">Send det på '
                "jeres sag</a></p>\n"
                "{% if coordinator %}<p>Jeres kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif "
                "%}\n"
                "<p>Venlig hilsen<br>{{ municipality.name "
                "}}</p>",
                "subject": "Påmindelse: {{ deliverable.title }} "
                'senest {{ deliverable.due|date:"j. F Y" '
                "}} ({{ case.reference }})",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "En påmindelse om sag {{ case.reference }}: "
                "kommunen mangler stadig\n"
                "- {{ deliverable.title }} – senest {{ "
                'deliverable.due|date:"j. F Y" }}\n'
                "\n"
                "Send det på jeres sag: {{ case.url }}\n"
                "\n"
                "{% if coordinator %}Jeres kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title "
                "}}{% endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>En påmindelse om sag <strong>{{ "
                "case.reference }}</strong>: kommunen mangler "
                "stadig</p>\n"
                "<ul><li>{{ deliverable.title }} – senest "
                '<strong>{{ deliverable.due|date:"j. F Y" '
                "}}</strong></li></ul>\n"
                '<p><a href="{{ case.url }}">Send det på din '
                "sag</a></p>\n"
                "{% if coordinator %}<p>Din kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif "
                "%}\n"
                "<p>Venlig hilsen<br>{{ municipality.name "
                "}}</p>",
                "subject": "Påmindelse: {{ deliverable.title }} "
                'senest {{ deliverable.due|date:"j. F Y" '
                "}} ({{ case.reference }})",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "En påmindelse om sag {{ case.reference }}: "
                "kommunen mangler stadig\n"
                "- {{ deliverable.title }} – senest {{ "
                'deliverable.due|date:"j. F Y" }}\n'
                "\n"
                "Send det på din sag: {{ case.url }}\n"
                "\n"
                "{% if coordinator %}Din kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title "
                "}}{% endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
    "estimate_moved": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Den forventede svardato for sag <strong>{{ "
                "case.reference }}</strong> er flyttet{% if old %} "
                'fra {{ old|date:"j. F Y" }}{% endif %} til '
                '<strong>{{ new|date:"j. F Y" }}</strong>.</p>\n'
                "<p>Hvorfor: {% if reason %}{{ reason }}{% else "
                "%}sagen ventede {{ paused_working_days }} "
                'arbejdsdag{{ paused_working_days|pluralize:"e" }} '
                "på materiale fra jer, som vi modtog {{ "
                'material_received_on|date:"j. F Y" }}. Den tid '
                "lægges til svardatoen.{% endif %}</p>\n"
                '<p><a href="{{ case.url }}">Se sagen</a></p>\n'
                "{% if coordinator %}<p>Jeres kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif %}\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Ny forventet svardato for {{ case.reference }}: "
                '{{ new|date:"j. F Y" }}',
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Den forventede svardato for sag {{ case.reference "
                '}} er flyttet{% if old %} fra {{ old|date:"j. F Y" '
                '}}{% endif %} til {{ new|date:"j. F Y" }}.\n'
                "\n"
                "Hvorfor: {% if reason %}{{ reason }}{% else "
                "%}sagen ventede {{ paused_working_days }} "
                'arbejdsdag{{ paused_working_days|pluralize:"e" }} '
                "på materiale fra jer, som vi modtog {{ "
                'material_received_on|date:"j. F Y" }}. Den tid '
                "lægges til svardatoen.{% endif %}\n"
                "\n"
                "Se sagen: {{ case.url }}\n"
                "\n"
                "{% if coordinator %}Jeres kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title }}{% "
                "endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Den forventede svardato for sag <strong>{{ "
                "case.reference }}</strong> er flyttet{% if old %} "
                'fra {{ old|date:"j. F Y" }}{% endif %} til '
                '<strong>{{ new|date:"j. F Y" }}</strong>.</p>\n'
                "<p>Hvorfor: {% if reason %}{{ reason }}{% else "
                "%}sagen ventede {{ paused_working_days }} "
                'arbejdsdag{{ paused_working_days|pluralize:"e" }} '
                "på materiale fra jer, som vi modtog {{ "
                'material_received_on|date:"j. F Y" }}. Den tid '
                "lægges til svardatoen.{% endif %}</p>\n"
                '<p><a href="{{ case.url }}">Se sagen</a></p>\n'
                "{% if coordinator %}<p>Din kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif %}\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Ny forventet svardato for {{ case.reference }}: "
                '{{ new|date:"j. F Y" }}',
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Den forventede svardato for sag {{ case.reference "
                '}} er flyttet{% if old %} fra {{ old|date:"j. F Y" '
                '}}{% endif %} til {{ new|date:"j. F Y" }}.\n'
                "\n"
                "Hvorfor: {% if reason %}{{ reason }}{% else "
                "%}sagen ventede {{ paused_working_days }} "
                'arbejdsdag{{ paused_working_days|pluralize:"e" }} '
                "på materiale fra jer, som vi modtog {{ "
                'material_received_on|date:"j. F Y" }}. Den tid '
                "lægges til svardatoen.{% endif %}\n"
                "\n"
                "Se sagen: {{ case.url }}\n"
                "\n"
                "{% if coordinator %}Din kontaktperson i kommunen: "
                "{{ coordinator.name }}{% if coordinator.title %}, "
                "{{ coordinator.title }}{% endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
    "receipt": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Tak for jeres henvendelse om {{ "
                'case.service_types|join:", " }} for {{ case.business_name '
                "}}.<br>\n"
                "Sagsnummer: <strong>{{ case.reference }}</strong></p>\n"
                "<p>Vi screener henvendelsen senest <strong>{{ "
                'case.screening_due|date:"j. F Y" }}</strong>: vi ser, om '
                "alt er med, udpeger jeres kontaktperson og giver jer en "
                "forventet svardato.</p>\n"
                "{% if missing %}<p>Der mangler endnu:</p>\n"
                "<ul>{% for item in missing %}<li>{{ item }}</li>{% endfor "
                "%}</ul>\n"
                '<p><a href="{{ case.url }}">Send det, der mangler, på '
                "jeres sag</a></p>{% else %}<p>Alle de oplysninger, vi "
                "skal bruge, er med.</p>\n"
                '<p><a href="{{ case.url }}">Følg jeres sag</a></p>{% '
                "endif %}\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Vi har modtaget jeres henvendelse {{ case.reference }}",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Tak for jeres henvendelse om {{ "
                'case.service_types|join:", " }} for {{ case.business_name '
                "}}.\n"
                "Sagsnummer: {{ case.reference }}\n"
                "\n"
                "Vi screener henvendelsen senest {{ "
                'case.screening_due|date:"j. F Y" }}: vi ser, om alt er '
                "med, udpeger jeres kontaktperson og giver jer en "
                "forventet svardato.\n"
                "{% if missing %}\n"
                "Der mangler endnu:\n"
                "{% for item in missing %}- {{ item }}\n"
                "{% endfor %}\n"
                "I kan sende det, der mangler, på jeres sag: {{ case.url "
                "}}{% else %}\n"
                "Alle de oplysninger, vi skal bruge, er med.\n"
                "Følg sagen her: {{ case.url }}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Tak for din henvendelse om {{ "
                'case.service_types|join:", " }} for {{ case.business_name '
                "}}.<br>\n"
                "Sagsnummer: <strong>{{ case.reference }}</strong></p>\n"
                "<p>Vi screener henvendelsen senest <strong>{{ "
                'case.screening_due|date:"j. F Y" }}</strong>: vi ser, om '
                "alt er med, udpeger din kontaktperson og giver dig en "
                "forventet svardato.</p>\n"
                "{% if missing %}<p>Der mangler endnu:</p>\n"
                "<ul>{% for item in missing %}<li>{{ item }}</li>{% endfor "
                "%}</ul>\n"
                '<p><a href="{{ case.url }}">Send det, der mangler, på din '
                "sag</a></p>{% else %}<p>Alle de oplysninger, vi skal "
                "bruge, er med.</p>\n"
                '<p><a href="{{ case.url }}">Følg din sag</a></p>{% endif '
                "%}\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Vi har modtaget din henvendelse {{ case.reference }}",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                'Tak for din henvendelse om {{ case.service_types|join:", '
                '" }} for {{ case.business_name }}.\n'
                "Sagsnummer: {{ case.reference }}\n"
                "\n"
                "Vi screener henvendelsen senest {{ "
                'case.screening_due|date:"j. F Y" }}: vi ser, om alt er '
                "med, udpeger din kontaktperson og giver dig en forventet "
                "svardato.\n"
                "{% if missing %}\n"
                "Der mangler endnu:\n"
                "{% for item in missing %}- {{ item }}\n"
                "{% endfor %}\n"
                "Du kan sende det, der mangler, på din sag: {{ case.url "
                "}}{% else %}\n"
                "Alle de oplysninger, vi skal bruge, er med.\n"
                "Følg sagen her: {{ case.url }}{% endif %}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
    "screening_result": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Vi har screenet jeres henvendelse <strong>{{ "
                "case.reference }}</strong>.\n"
                "{% if complete %}Alle oplysninger er modtaget.{% "
                "else %}Der mangler stadig noget fra jer (se "
                "leveranceplanen).{% endif %}</p>\n"
                '<p>Forventet svar: <strong>{{ estimate|date:"j. '
                'F Y" }}</strong></p>\n'
                "{% if coordinator %}<p>Jeres kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif %}\n"
                "<h2>Leveranceplan</h2>\n"
                "{% if business_items %}<p>I leverer:</p>\n"
                "<ul>{% for item in business_items %}<li>{{ "
                'item.title }} – senest {{ item.due|date:"j. F Y" '
                "}}</li>{% endfor %}</ul>{% endif %}\n"
                "<p>Kommunen leverer:</p>\n"
                "<ul>{% for item in municipality_items %}<li>{{ "
                'item.title }} – senest {{ item.due|date:"j. F Y" '
                "}}</li>{% endfor %}</ul>\n"
                '<p><a href="{{ case.url }}">Se sagen</a></p>\n'
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Jeres henvendelse {{ case.reference }} er "
                "screenet – forventet svar {{ "
                'estimate|date:"j. F Y" }}',
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Vi har screenet jeres henvendelse {{ "
                "case.reference }}.\n"
                "{% if complete %}Alle oplysninger er modtaget.{% "
                "else %}Der mangler stadig noget fra jer (se "
                "leveranceplanen).{% endif %}\n"
                "\n"
                'Forventet svar: {{ estimate|date:"j. F Y" }}\n'
                "\n"
                "{% if coordinator %}Jeres kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title }}{% "
                "endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Leveranceplan\n"
                "{% if business_items %}I leverer:\n"
                "{% for item in business_items %}- {{ item.title "
                '}} – senest {{ item.due|date:"j. F Y" }}\n'
                "{% endfor %}{% endif %}Kommunen leverer:\n"
                "{% for item in municipality_items %}- {{ "
                'item.title }} – senest {{ item.due|date:"j. F Y" '
                "}}\n"
                "{% endfor %}\n"
                "Se sagen: {{ case.url }}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>Vi har screenet din henvendelse <strong>{{ "
                "case.reference }}</strong>.\n"
                "{% if complete %}Alle oplysninger er modtaget.{% "
                "else %}Der mangler stadig noget fra jer (se "
                "leveranceplanen).{% endif %}</p>\n"
                '<p>Forventet svar: <strong>{{ estimate|date:"j. '
                'F Y" }}</strong></p>\n'
                "{% if coordinator %}<p>Din kontaktperson i "
                "kommunen: <strong>{{ coordinator.name "
                "}}</strong>{% if coordinator.title %}, {{ "
                "coordinator.title }}{% endif %}<br>\n"
                'E-mail: <a href="mailto:{{ coordinator.email '
                '}}">{{ coordinator.email }}</a>{% if '
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}</p>{% endif %}\n"
                "<h2>Leveranceplan</h2>\n"
                "{% if business_items %}<p>I leverer:</p>\n"
                "<ul>{% for item in business_items %}<li>{{ "
                'item.title }} – senest {{ item.due|date:"j. F Y" '
                "}}</li>{% endfor %}</ul>{% endif %}\n"
                "<p>Kommunen leverer:</p>\n"
                "<ul>{% for item in municipality_items %}<li>{{ "
                'item.title }} – senest {{ item.due|date:"j. F Y" '
                "}}</li>{% endfor %}</ul>\n"
                '<p><a href="{{ case.url }}">Se sagen</a></p>\n'
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Din henvendelse {{ case.reference }} er "
                "screenet – forventet svar {{ "
                'estimate|date:"j. F Y" }}',
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "Vi har screenet din henvendelse {{ "
                "case.reference }}.\n"
                "{% if complete %}Alle oplysninger er modtaget.{% "
                "else %}Der mangler stadig noget fra jer (se "
                "leveranceplanen).{% endif %}\n"
                "\n"
                'Forventet svar: {{ estimate|date:"j. F Y" }}\n'
                "\n"
                "{% if coordinator %}Din kontaktperson i "
                "kommunen: {{ coordinator.name }}{% if "
                "coordinator.title %}, {{ coordinator.title }}{% "
                "endif %}\n"
                "E-mail: {{ coordinator.email }}{% if "
                "coordinator.phone %} · telefon {{ "
                "coordinator.phone }}{% endif %}{% endif %}\n"
                "\n"
                "Leveranceplan\n"
                "{% if business_items %}I leverer:\n"
                "{% for item in business_items %}- {{ item.title "
                '}} – senest {{ item.due|date:"j. F Y" }}\n'
                "{% endfor %}{% endif %}Kommunen leverer:\n"
                "{% for item in municipality_items %}- {{ "
                'item.title }} – senest {{ item.due|date:"j. F Y" '
                "}}\n"
                "{% endfor %}\n"
                "Se sagen: {{ case.url }}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
    "staff_message": {
        "da": {
            "new": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>{{ author }} har skrevet til jer om sag "
                "<strong>{{ case.reference }}</strong>:</p>\n"
                "<blockquote>{{ body|linebreaksbr }}</blockquote>\n"
                '<p><a href="{{ case.url }}">Svar på beskeden på '
                "jeres sag</a></p>\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Ny besked om jeres sag {{ case.reference }}",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "{{ author }} har skrevet til jer om sag {{ "
                "case.reference }}:\n"
                "\n"
                "{{ body }}\n"
                "\n"
                "Svar på beskeden på jeres sag: {{ case.url }}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
            "old": {
                "html": "<p>Kære {{ recipient_name }}</p>\n"
                "<p>{{ author }} har skrevet til dig om sag "
                "<strong>{{ case.reference }}</strong>:</p>\n"
                "<blockquote>{{ body|linebreaksbr }}</blockquote>\n"
                '<p><a href="{{ case.url }}">Svar på beskeden på din '
                "sag</a></p>\n"
                "<p>Venlig hilsen<br>{{ municipality.name }}</p>",
                "subject": "Ny besked om din sag {{ case.reference }}",
                "text": "Kære {{ recipient_name }}\n"
                "\n"
                "{{ author }} har skrevet til dig om sag {{ "
                "case.reference }}:\n"
                "\n"
                "{{ body }}\n"
                "\n"
                "Svar på beskeden på din sag: {{ case.url }}\n"
                "\n"
                "Venlig hilsen\n"
                "{{ municipality.name }}",
            },
        }
    },
}


def _swap(apps, *, forward: bool) -> None:
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for kind, languages in REWORDED.items():
        for language, wordings in languages.items():
            was, becomes = (
                (wordings["old"], wordings["new"])
                if forward
                else (wordings["new"], wordings["old"])
            )
            MessageTemplate.objects.filter(kind=kind, language=language, **was).update(**becomes)


def forwards(apps, schema_editor):
    _swap(apps, forward=True)


def backwards(apps, schema_editor):
    _swap(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_business_message_visit_booked")]
    operations = [migrations.RunPython(forwards, backwards)]

"""API tokens get scopes, an expiry, a rate limit of their own and who revoked them (issue 18).

Existing tokens: their scopes are ``read``, ``intake`` and ``write`` — what every token could
do until now (there was nothing to administer through the API), so no integration loses a
right it uses. Their expiry is ``API_TOKEN_DAYS`` (a year) after this migration runs, not
after they were made: a token made more than a year ago would otherwise stop working at the
deploy, with no warning to its integration; this way each gets the lifetime a new token
gets, from the day expiry began to exist, and the administration shows the date. Their rate
limit is the default (empty). Nothing is lost on the way back: the reverse drops the columns.
"""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import erhvervskontakt.accounts.models


def _expire_existing_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = getattr(settings, "API_TOKEN_DAYS", 365)
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + dt.timedelta(days=days)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_login_lockout"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(db_index=True, null=True, verbose_name="udløber"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="rate_per_minute",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Tom: standarden (API_TOKEN_RATE_PER_MINUTE). Højere for en integration med mange forespørgsler.",
                null=True,
                verbose_name="forespørgsler pr. minut",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="tilbagekaldt af",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(
                default=erhvervskontakt.accounts.models.default_api_scopes,
                help_text="read: alle GET; intake: henvendelser og materiale fra virksomheden; write: alle andre ændringer af sager og virksomheder; admin: webhooks.",
                verbose_name="rettigheder",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="oprettet"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sidst brugt"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(
                blank=True, help_text="Hvad nøglen bruges til.", max_length=100, verbose_name="navn"
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(
                db_index=True,
                help_text="Nøglens første tegn, som genkender den; aldrig hele nøglen.",
                max_length=12,
                verbose_name="begyndelse",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="tilbagekaldt"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_tokens",
                to=settings.AUTH_USER_MODEL,
                verbose_name="bruger",
            ),
        ),
        migrations.RunPython(_expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(db_index=True, verbose_name="udløber"),
        ),
    ]

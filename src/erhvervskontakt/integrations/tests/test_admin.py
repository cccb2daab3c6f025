"""The admin of webhooks: a subscription's secret is shown once, when it is made, and never
on its page; the address rules hold here too; a subscription is deactivated, never deleted."""

from __future__ import annotations

import pytest

from erhvervskontakt.integrations.checks import webhooks_loopback
from erhvervskontakt.integrations.models import WebhookSubscription

pytestmark = pytest.mark.django_db

ADD = "/admin/integrations/webhooksubscription/add/"


def test_a_subscription_made_in_the_admin_shows_its_secret_once(admin_client, karen):
    made = admin_client.post(
        ADD,
        {
            "name": "ESDH",
            "url": "https://fagsystem.example/hook",
            "owner": karen.pk,
            "kinds_text": "screened, answered",
        },
        follow=True,
    )

    assert made.status_code == 200
    row = WebhookSubscription.objects.get()
    assert (row.owner, row.kinds, row.status) == (karen, ["answered", "screened"], "active")
    assert row.secret in made.content.decode()  # the message after saving, this once
    page = admin_client.get(f"/admin/integrations/webhooksubscription/{row.pk}/change/")
    assert page.status_code == 200 and row.secret not in page.content.decode()
    listed = admin_client.get("/admin/integrations/webhooksubscription/")
    assert row.secret not in listed.content.decode()


def test_the_admin_refuses_an_address_outside_the_rules_on_its_field(admin_client, karen, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    page = admin_client.post(
        ADD, {"name": "ESDH", "url": "http://169.254.169.254/", "owner": karen.pk}
    )

    assert page.status_code == 200
    assert not WebhookSubscription.objects.exists()
    errors = page.context_data["adminform"].form.errors
    assert "offentlige adresser" in errors["url"][0]
    assert "offentlige adresser" in page.content.decode()


def test_the_admin_deactivates_and_never_deletes(admin_client, karen):
    admin_client.post(
        ADD, {"name": "ESDH", "url": "https://fagsystem.example/hook", "owner": karen.pk}
    )
    row = WebhookSubscription.objects.get()

    admin_client.post(
        "/admin/integrations/webhooksubscription/",
        {"action": "deactivate", "_selected_action": [row.pk]},
    )

    row.refresh_from_db()
    assert row.status == "deactivated" and row.deactivated_at is not None
    delete = admin_client.get(f"/admin/integrations/webhooksubscription/{row.pk}/delete/")
    assert delete.status_code == 403


def test_check_deploy_warns_while_loopback_is_allowed(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert [w.id for w in webhooks_loopback(None)] == ["integrations.W001"]
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    assert webhooks_loopback(None) == []

"""``GET /events`` and ``/webhooks`` over real HTTP: the feed's pages, cursor and scope, the
subscriptions' life (secret shown once, pause, deactivate), who may, and a constant number
of queries per page of the feed."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.cases.models import Event
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.integrations.models import WebhookDelivery, WebhookSubscription
from erhvervskontakt.integrations.services import webhooks_sweep
from erhvervskontakt.integrations.tests.conftest import Receiver
from erhvervskontakt.notifications import worker
from erhvervskontakt.notifications.tests.conftest import free_port

from .support import assert_error

HOOK = "https://fagsystem.example/erhvervskontakt/webhook"


@pytest.fixture(autouse=True)
def _served_at_once(settings: Any) -> None:
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 0


def _all_pages(client: Any, url: str = "/events?limit=3") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for _ in range(100):
        page = client.get(url).json()
        items += page["items"]
        url = page["next"].removeprefix("/api/v1")
        if not page["more"]:
            return items
    raise AssertionError("the feed never caught up")


# --- the feed -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_feed_pages_through_every_event_in_order_by_its_next_link(http, karen, make_case):
    make_case("in_progress")
    make_case("answered")
    client = http(karen)

    items = _all_pages(client)

    assert [i["id"] for i in items] == list(
        Event.objects.order_by("pk").values_list("pk", flat=True)
    )
    first = items[0]
    assert set(first) == {"id", "cursor", "case", "kind", "at", "actor", "text", "internal"}
    assert str(first["id"]) not in first["cursor"]  # opaque
    after = client.get("/events", params={"after": items[-1]["cursor"]}).json()
    assert after["items"] == [] and after["cursor"] == items[-1]["cursor"] and not after["more"]


@pytest.mark.django_db(transaction=True)
def test_the_next_link_keeps_the_kinds_filter(http, karen, make_case):
    make_case("answered")

    page = http(karen).get("/events", params={"kind": ["screened", "answered"], "limit": 1}).json()

    assert {i["kind"] for i in page["items"]} <= {"screened", "answered"}
    assert "kind=screened" in page["next"] and "kind=answered" in page["next"]


@pytest.mark.django_db(transaction=True)
def test_a_business_user_reads_only_its_own_cases_history_as_written_for_it(
    http, owner, other_owner, karen, make_case, other_business
):
    case = make_case("in_progress")
    case_message_post(case=case, actor=karen, body="Intern note", internal=True)
    theirs = make_case(actor=other_owner, cvr=other_business.cvr)

    items = _all_pages(http(owner))

    assert items and {i["case"] for i in items} == {case.reference}
    shown = {e.pk: e for e in Event.objects.filter(pk__in=[i["id"] for i in items])}
    assert all(i["text"] == shown[i["id"]].business_text and not i["internal"] for i in items)
    assert not any(shown[i["id"]].internal or not shown[i["id"]].business_text for i in items)
    assert theirs.reference not in {i["case"] for i in items}
    staff_items = _all_pages(http(karen))
    assert any(i["internal"] for i in staff_items)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "ikke-en-markør"}, "after"),
        ({"after": "eHl6"}, "after"),
        ({"limit": 201}, "limit"),
    ],
    ids=["not-base64url", "not-ours", "limit-too-big"],
)
def test_a_bad_cursor_or_limit_is_422_naming_the_field(http, karen, params, field):
    assert_error(http(karen).get("/events", params=params), 422, field=field)


@pytest.mark.django_db(transaction=True)
def test_a_staff_read_of_the_feed_writes_one_read_log_row(http, karen, make_case):
    make_case()
    before = PersonalDataRead.objects.count()

    http(karen).get("/events").raise_for_status()

    row = PersonalDataRead.objects.order_by("pk")[before:].get()
    assert (row.user_id, row.route, row.purpose) == (
        karen.pk,
        "api-v1:list_events",
        "case_handling",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["karen", "owner"])
def test_a_page_of_the_feed_runs_the_same_queries_for_one_event_as_for_two_hundred(
    request, client, token_for, make_case, persona
):
    user = request.getfixturevalue(persona)
    make_case()

    def measure() -> tuple[int, int]:
        token = token_for(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/events?limit=200", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content
        return len(captured.captured_queries), len(response.json()["items"])

    few_queries, few = measure()
    for _ in range(12):
        make_case("answered")
    many_queries, many = measure()

    assert many > few * 5
    assert many_queries == few_queries
    # The token (lookup, first use), the page (events with their cases), its actors, the
    # horizon a page that is not full moves on to (the newest id, a sample before it), and
    # the read log's INSERT for staff.
    assert few_queries <= 7


# --- webhook subscriptions ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_subscription_shows_its_secret_once_and_belongs_to_its_maker(http, karen, lars):
    client = http(karen)

    made = client.post("/webhooks", json={"name": "ESDH", "url": HOOK, "kinds": ["screened"]})

    assert made.status_code == 201, made.text
    body = made.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert made.headers["Location"] == f"/api/v1/webhooks/{body['id']}"
    assert (body["status"], body["kinds"], body["url"]) == ("active", ["screened"], HOOK)
    shown = client.get(f"/webhooks/{body['id']}").json()
    assert "secret" not in shown and body["secret"] not in json.dumps(shown)
    assert [w["id"] for w in client.get("/webhooks").json()] == [body["id"]]
    assert "secret" not in client.get("/webhooks").text
    assert WebhookSubscription.objects.get().owner == karen
    assert_error(http(lars).get(f"/webhooks/{body['id']}"), 404, code="not_found")
    assert http(lars).get("/webhooks").json() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "url",
    [
        "http://fagsystem.example/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://bruger:kode@fagsystem.example/hook",
    ],
)
def test_an_address_outside_the_rules_is_refused_and_nothing_is_made(http, karen, url):
    response = http(karen).post("/webhooks", json={"name": "ESDH", "url": url})

    assert_error(response, 422, code="validation_failed", field="url")
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_business_user_may_not_have_webhooks(http, owner):
    client = http(owner)

    assert_error(client.get("/webhooks"), 403, code="forbidden")
    assert_error(client.post("/webhooks", json={"name": "Mit", "url": HOOK}), 403)
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_webhooks_need_the_admin_scope_and_the_feed_the_read_scope(live_server, karen, token_for):
    import httpx

    base = f"{live_server.url}/api/v1"
    reader = {"Authorization": f"Bearer {token_for(karen, scopes=['read'])}"}

    assert httpx.get(f"{base}/events", headers=reader).status_code == 200
    refused = httpx.post(f"{base}/webhooks", headers=reader, json={"name": "E", "url": HOOK})
    assert_error(refused, 403, code="insufficient_scope")
    assert_error(httpx.get(f"{base}/webhooks", headers=reader), 403, code="insufficient_scope")
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_pause_resume_move_and_deactivate(http, karen):
    client = http(karen)
    made = client.post("/webhooks", json={"name": "ESDH", "url": HOOK}).json()
    path = f"/webhooks/{made['id']}"

    paused = client.patch(path, json={"status": "paused"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    moved = client.patch(
        path, json={"status": "active", "url": f"{HOOK}/v2", "kinds": ["answered"]}
    ).json()
    assert (moved["status"], moved["url"], moved["kinds"]) == ("active", f"{HOOK}/v2", ["answered"])
    assert_error(client.patch(path, json={"url": "http://fagsystem.example/"}), 422, field="url")
    assert_error(client.patch(path, json={"status": "deactivated"}), 422, field="status")

    ended = client.post(f"{path}/deactivate")
    assert ended.status_code == 200 and ended.json()["status"] == "deactivated"
    assert ended.json()["deactivated_at"]
    assert_error(client.patch(path, json={"status": "active"}), 409, code="conflict")
    assert client.get(path).json()["status"] == "deactivated"  # never deleted


@pytest.mark.django_db(transaction=True)
def test_deliveries_are_listed_newest_first_with_their_errors(http, karen, make_case, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    down = f"http://127.0.0.1:{free_port()}/hook"
    client = http(karen)
    made = client.post("/webhooks", json={"name": "ESDH", "url": down, "after": ""}).json()
    make_case("in_progress")
    webhooks_sweep()
    for pk in WebhookDelivery.objects.values_list("pk", flat=True):
        from erhvervskontakt.integrations.services import webhook_deliver

        webhook_deliver(delivery_id=pk)
    count = WebhookDelivery.objects.count()
    assert count > 2

    first = client.get(f"/webhooks/{made['id']}/deliveries", params={"limit": 2}).json()
    rest = client.get(first["next"].removeprefix("/api/v1")).json()
    failing = client.get(f"/webhooks/{made['id']}/deliveries", params={"status": "sent"}).json()

    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert len(first["items"]) == len(rest["items"]) == 2  # the next link keeps the limit
    assert ids == sorted(set(ids), reverse=True)
    assert ids[0] == WebhookDelivery.objects.order_by("-pk").first().pk
    assert all(d["status"] == "retry" and "afvist" in d["last_error"] for d in first["items"])
    assert failing == {"items": [], "next": None}
    assert client.get(f"/webhooks/{made['id']}").json()["failing"] == count


@pytest.mark.django_db(transaction=True)
def test_a_subscription_made_through_the_api_delivers_verifiable_posts(
    http, karen, make_case, settings
):
    """The whole way: subscribe over the API, a case changes, the worker POSTs to a real
    receiver, which verifies the signature with the secret the API showed once."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    hook = Receiver(port=free_port()).start()
    try:
        made = http(karen).post(
            "/webhooks", json={"name": "ESDH", "url": hook.url, "kinds": ["screened"]}
        )
        secret = made.json()["secret"]
        case = case_screen(case=make_case(), actor=karen)
        for _ in range(3):
            webhooks_sweep()
            worker.drain()
    finally:
        hook.stop()

    assert len(hook.received) == 1
    request = hook.received[0]
    t, v1 = (
        part.split("=", 1)[1] for part in request.headers["Erhvervskontakt-Signature"].split(",")
    )
    expected = hmac.new(secret.encode(), f"{t}.".encode() + request.body, hashlib.sha256)
    assert hmac.compare_digest(v1, expected.hexdigest())
    body = json.loads(request.body)
    assert (body["case"], body["kind"], body["subscription"]) == (
        case.reference,
        "screened",
        made.json()["id"],
    )

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from stdnum.dk import cvr as stdnum_cvr

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import Case, CaseStatus, Event, sees_case
from erhvervskontakt.catalogue.models import Department, Municipality, Requirement, ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.demo.guard import DEMO_PASSWORD, demo_password

from .checks import rule_violations

pytestmark = pytest.mark.django_db

NATIONAL_TARGETS = {
    "byggetilladelse-industri-lager": 50,
    "byggetilladelse-simpel": 40,
    "byggetilladelse-etagebyggeri-erhverv": 55,
    "miljoegodkendelse-bilag-2": 130,
    "miljoegodkendelse-bilag-1": 200,
}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "businesses", "catalogue", "cases", "workcalendar", "auth"}
    }


def test_load_demo_builds_a_municipality_with_a_year_in_every_state(demo_settings):
    out = StringIO()
    call_command("load_demo", cases=70, stdout=out, verbosity=0)
    output = out.getvalue()

    # The municipality, its departments and catalogue.
    assert Municipality.objects.get(pk=1).name == "Demo Kommune"
    assert set(Department.objects.values_list("code", flat=True)) >= {
        "byggeri", "miljoe", "vej-og-park", "plan", "beredskab", "erhvervskontakt",
    }  # fmt: skip
    service_types = {st.code: st for st in ServiceType.objects.filter(requestable=True)}
    assert 12 <= len(service_types) <= 15
    # The inspection visit is a case the municipality opens itself, never asked for.
    assert ServiceType.objects.get(code="miljoetilsyn").requestable is False
    assert {st.group for st in service_types.values()} == set(ServiceType.Group.values)
    for code, days in NATIONAL_TARGETS.items():
        assert service_types[code].service_target_days == days
    assert all(st.kle_code and st.target_working_days for st in service_types.values())
    shared = Requirement.objects.filter(key="matrikel").values("service_type").distinct()
    assert shared.count() >= 3
    kinds = set(Requirement.objects.values_list("kind", "value_type", "mandatory"))
    assert {k for k, _, _ in kinds} == {"field", "document"}
    assert {t for k, t, _ in kinds if k == "field"} == set(Requirement.Type.values)
    assert {m for _, _, m in kinds} == {True, False}
    for requirement in Requirement.objects.filter(value_type="choice"):
        requirement.full_clean()

    # Staff and businesses.
    coordinators = User.objects.coordinators()
    assert coordinators.count() == 4
    assert all(c.phone and c.title and c.email for c in coordinators)
    assert User.objects.filter(is_superuser=True, username="admin").exists()
    assert User.objects.filter(is_staff=True, is_coordinator=False, department__code="miljoe")
    businesses = Business.objects.all()
    assert businesses.count() == 50
    assert all(stdnum_cvr.is_valid(b.cvr) for b in businesses)
    assert all(b.address and b.postcode.startswith("5") and b.industry for b in businesses)
    portal_user = User.objects.filter(memberships__isnull=False).first()
    assert portal_user is not None and portal_user.check_password(DEMO_PASSWORD)
    assert not User.objects.get(username="fagsystem").has_usable_password()

    # A year of cases in every state, through the real services.
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    assert not Case.objects.filter(events__isnull=True).exists()
    assert rule_violations() == []
    today = clock.today()
    assert Case.objects.overdue(today).exists()
    assert Event.objects.filter(kind="screened", data__on_time=False).exists()
    assert Case.objects.filter(paused_working_days__gt=0).exists()
    assert Event.objects.filter(kind="receipt_backdated").exists()
    oldest = Case.objects.order_by("received_at").first()
    assert oldest is not None and (today - clock.local_date(oldest.received_at)).days > 300

    # Screening deadlines against the calendar, for a sample, recomputed by hand here.
    calendar = working_calendar()
    for case in random.Random(1).sample(list(Case.objects.all()), 10):
        day, left = clock.local_date(case.received_at), 5
        while left:
            day = day.fromordinal(day.toordinal() + 1)
            left -= calendar.is_working_day(day)
        assert case.screening_due == day == rules.screening_due(case.received_at, calendar, 5)

    # The services' one-case access check agrees with the list rule for every user and case.
    cases = list(Case.objects.all())
    for user in User.objects.all():
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        assert {c.pk for c in cases if sees_case(user, c)} == visible, user.username

    # The logins are in the output; no API token is printed.
    assert "admin" in output and "karen" in output and DEMO_PASSWORD in output
    assert "ek_" not in output

    # A second run changes nothing.
    before = row_counts()
    again = StringIO()
    call_command("load_demo", cases=70, stdout=again, verbosity=0)
    assert "already loaded" in again.getvalue()
    assert row_counts() == before


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO(), verbosity=0)
    assert not Business.objects.exists()
    assert not User.objects.exists()


def test_load_demo_refuses_a_database_with_other_data(demo_settings, business):
    with pytest.raises(CommandError, match="already holds"):
        call_command("load_demo", stdout=StringIO(), verbosity=0)
    assert Business.objects.count() == 1


def test_the_demo_password_is_only_well_known_with_debug(settings):
    settings.DEBUG = True
    assert demo_password(force=False, given="", what="x") == (DEMO_PASSWORD, False)
    settings.DEBUG = False
    password, generated = demo_password(force=True, given="", what="x")
    assert generated and password != DEMO_PASSWORD and len(password) >= 12
    assert demo_password(force=True, given=DEMO_PASSWORD, what="x")[0] != DEMO_PASSWORD
    assert demo_password(force=True, given="my-own-secret", what="x") == ("my-own-secret", False)

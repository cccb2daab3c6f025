"""Load the demo municipality: catalogue, staff, businesses and a year of history."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.common import clock

from .catalogue import load_catalogue
from .content import ADMIN_USERNAME
from .history import History
from .inspections import load_inspections
from .people import demo_cvrs, load_businesses, load_staff
from .surveys import load_surveys

DEFAULT_CASES = 400
DEFAULT_SEED = 2009  # the year Odense opened its Erhvervskontakt


def demo_is_loaded() -> bool:
    """The demo's admin and its first business exist: the demo has been loaded here."""
    return (
        User.objects.filter(username=ADMIN_USERNAME).exists()
        and Business.objects.filter(cvr=demo_cvrs()[0]).exists()
    )


def database_has_data() -> bool:
    return Case.objects.exists() or Business.objects.exists()


@dataclass
class DemoSummary:
    staff: int
    businesses: int
    portal_users: list[tuple[str, str, str]]  # (username, business name, CVR)
    cases: int
    by_status: dict[str, int]


@transaction.atomic
def load_demo(
    *,
    password: str,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    progress: Callable[[], None] = lambda: None,
) -> DemoSummary:
    """Everything in one transaction: the demo is either fully there or not at all."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    password_hash = make_password(password)
    load_catalogue()
    staff = load_staff(password_hash)
    now = clock.now()
    history = History(rng=rng, now=now, cases=cases, staff=staff, businesses=[], progress=progress)
    with clock.travel(now - dt.timedelta(days=365)):
        businesses = load_businesses(password_hash)
    history.businesses = businesses
    history.run()
    load_surveys(rng=rng, now=now)
    load_inspections(rng=rng, businesses=[b.business for b in businesses])
    by_status = Counter(Case.objects.values_list("status", flat=True))
    return DemoSummary(
        staff=len(staff),
        businesses=len(businesses),
        portal_users=[
            (b.portal_user.username, b.business.name, b.business.cvr)
            for b in businesses
            if b.portal_user is not None
        ],
        cases=sum(by_status.values()),
        by_status=dict(by_status),
    )

"""Who may see a page: business users acting for a business, and municipal staff.

Business users: a business user may act for several CVR numbers (memberships); the portal
works for one at a time and lets the user switch (``acting_for``, kept in the session).
Staff and users without an active membership are not business users: business pages send
them to the portal's login page (``business_user_required``).

Staff: views only say ``@staff_required``; how the person logged in (the municipality's Entra
ID through OIDC where it is configured, else Django's password login) is the login page's
business (``WORKBENCH_LOGIN_URL``), so no view knows (docs/decisions/0005 and 0011).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import reverse

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.selectors import business_list

SESSION_KEY = "portal_business_cvr"
# The CVR numbers a MitID Erhverv login may act for (one login = the CVR it was made for,
# plus any a scoped privilege gives); a session without it (a local password) is not limited.
LOGIN_CVRS_KEY = "portal_login_cvrs"
P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


@dataclass
class Acting:
    """The logged-in business user, the businesses they may act for, and the current one."""

    user: User
    businesses: list[Business]
    current: Business

    @property
    def has_several(self) -> bool:
        return len(self.businesses) > 1

    def find(self, cvr: str) -> Business | None:
        return next((b for b in self.businesses if b.cvr == cvr), None)


def acting_for(request: HttpRequest) -> Acting | None:
    """The request's acting context, or None for anonymous visitors, staff and non-members.

    Read once per request (one query) and kept on the request.
    """
    if hasattr(request, "_portal_acting"):
        return cast(Acting | None, request._portal_acting)
    acting: Acting | None = None
    user = request.user
    if user.is_authenticated and user.is_active and not user.is_staff:
        businesses = business_list(user=user)
        allowed = request.session.get(LOGIN_CVRS_KEY)
        if allowed is not None:
            businesses = [b for b in businesses if b.cvr in allowed]
        if businesses:
            chosen = request.session.get(SESSION_KEY)
            current = next((b for b in businesses if b.cvr == chosen), businesses[0])
            acting = Acting(user=user, businesses=businesses, current=current)
    request._portal_acting = acting  # type: ignore[attr-defined]
    return acting


def switch_business(request: HttpRequest, acting: Acting, business: Business) -> bool:
    """Make ``business`` (one of the user's) the current one; True if it changed."""
    request.session[SESSION_KEY] = business.cvr
    changed = acting.current.pk != business.pk
    acting.current = business
    return changed


def business_user_required(
    view: Callable[Concatenate[HttpRequest, Acting, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponseRedirect]:
    """Business pages: a business user, or the login page with ``?next=`` back here."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, *args: P.args, **kwargs: P.kwargs
    ) -> R | HttpResponseRedirect:
        acting = acting_for(request)
        if acting is None:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        return view(request, acting, *args, **kwargs)

    return wrapper


# --- staff ---------------------------------------------------------------------------------


def is_workbench_user(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def login_url() -> str:
    return resolve_url(getattr(settings, "WORKBENCH_LOGIN_URL", "workbench:login"))


def staff_required(
    view: Callable[..., R],
) -> Callable[..., R | HttpResponseRedirect]:
    """Staff pages: anonymous visitors go to the staff login; business users get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> R | HttpResponseRedirect:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        if not is_workbench_user(request.user):
            raise PermissionDenied("Kun kommunens medarbejdere har adgang.")
        return view(request, *args, **kwargs)

    return wrapper


def can_coordinate(user: object) -> bool:
    """Coordinators, heads of unit and administrators screen and drive cases."""
    return bool(
        getattr(user, "is_coordinator", False)
        or getattr(user, "is_head_of_unit", False)
        or getattr(user, "is_superuser", False)
    )

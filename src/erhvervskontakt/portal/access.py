"""Who the visitor acts for: the current business of a business user, kept in the session.

A business user may act for several CVR numbers (memberships); the portal works for one at a
time and lets the user switch. Staff and users without an active membership are not business
users here: business pages send them to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.selectors import business_list

SESSION_KEY = "portal_business_cvr"
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

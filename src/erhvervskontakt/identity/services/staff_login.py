"""A verified Entra ID login becomes our member of staff, with the rights its app roles give.

The person is found by tenant and object id (``ExternalIdentity`` ``<tid>:<oid>``), never by
e-mail: a new person becomes a user named ``entra-id:<oid>`` (stable, unlike the UPN, which
is renamed with the person's name) with an unusable password; an existing user made by hand
is not taken over by a matching e-mail address. Name and e-mail are updated at every login.

Rights come from the ``roles`` claim only and are set afresh at every login — set and
cleared: an app role maps to ``administrator`` (``is_superuser``), ``head_of_unit``,
``coordinator`` or ``caseworker:<department code>`` through ``OIDC_ROLE_MAP`` and, on top of
it, the administrator's active ``StaffRoleMapping`` rows (a row wins over the map for the same
app role). A person none of whose roles maps to anything is refused ("no_role"); if they had
logged in before, ``staff_login_refuse`` takes their rights away, so a session they still hold
elsewhere stops working at its next request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.models import Department
from erhvervskontakt.common import clock

from ..config import OidcProvider
from ..models import ExternalIdentity, LoginEvent, Source, StaffRole, StaffRoleMapping
from ..oidc import OidcRefused, StaffClaims
from .login_log import Where, login_event_record

logger = logging.getLogger(__name__)

USERNAME_PREFIX = "entra-id:"
CASEWORKER_PREFIX = "caseworker:"
# The rights a role sync sets and clears (``department`` too).
ROLE_FLAGS = ("is_staff", "is_superuser", "is_head_of_unit", "is_coordinator")


def _no_role() -> str:
    return _(
        "Du har ikke adgang til Erhvervskontakts arbejdsbord: din bruger i Microsoft Entra ID "
        "har ingen af de roller, der giver adgang. Kontakt din leder eller it-afdelingen, hvis "
        "du skal have adgang."
    )


class StaffLoginRefused(OidcRefused):
    """A staff login refused after the token was verified. ``user`` is the person's existing
    user when there is one (``staff_login_refuse`` takes a no-role user's rights away)."""

    def __init__(
        self,
        reason: str,
        message: str,
        detail: str = "",
        *,
        user: User | None = None,
        identity_key: str = "",
    ) -> None:
        super().__init__(reason, message, detail)
        self.user = user
        self.identity_key = identity_key


@dataclass(frozen=True)
class StaffRoles:
    """What a person's app roles make them here."""

    administrator: bool = False
    head_of_unit: bool = False
    coordinator: bool = False
    department: Department | None = None
    # The app roles that counted, for the login log.
    matched: tuple[str, ...] = field(default=())

    @property
    def gives_access(self) -> bool:
        return (
            self.administrator
            or self.head_of_unit
            or self.coordinator
            or self.department is not None
        )

    def describe(self) -> str:
        names = [
            name
            for name, on in (
                ("administrator", self.administrator),
                ("head_of_unit", self.head_of_unit),
                ("coordinator", self.coordinator),
            )
            if on
        ]
        if self.department is not None:
            names.append(f"{CASEWORKER_PREFIX}{self.department.code}")
        return ", ".join(names)


def role_mapping(provider: OidcProvider) -> dict[str, tuple[str, str]]:
    """App role → (our role, department code or ""): ``OIDC_ROLE_MAP``, then the active
    ``StaffRoleMapping`` rows on top. A map value we cannot read is skipped (and logged)."""
    mapping: dict[str, tuple[str, str]] = {}
    for app_role, value in provider.role_map.items():
        role, _colon, code = value.partition(":")
        if role not in StaffRole.values or (role == StaffRole.CASEWORKER) != bool(code):
            logger.warning("OIDC_ROLE_MAP: %r → %r is not a role; skipped", app_role, value)
            continue
        mapping[app_role] = (role, code)
    rows = StaffRoleMapping.objects.filter(active=True).select_related("department")
    for row in rows:
        mapping[row.app_role] = (row.role, row.department.code if row.department else "")
    return mapping


def staff_roles_for(provider: OidcProvider, app_roles: Iterable[str]) -> StaffRoles:
    """What these app roles make a person. A caseworker in several departments is placed in
    the first by code (a user has one department); the others are named in the log."""
    mapping = role_mapping(provider)
    wanted: set[str] = set()
    codes: set[str] = set()
    matched: list[str] = []
    for app_role in sorted(set(app_roles)):
        if app_role not in mapping:
            continue
        role, code = mapping[app_role]
        matched.append(app_role)
        if role == StaffRole.CASEWORKER:
            codes.add(code)
        else:
            wanted.add(role)
    departments = list(Department.objects.filter(code__in=codes).order_by("code")) if codes else []
    if codes and len(departments) < len(codes):
        missing = codes - {d.code for d in departments}
        logger.warning("Entra ID role mapping names unknown departments: %s", sorted(missing))
    return StaffRoles(
        administrator=StaffRole.ADMINISTRATOR in wanted,
        head_of_unit=StaffRole.HEAD_OF_UNIT in wanted,
        coordinator=StaffRole.COORDINATOR in wanted,
        department=departments[0] if departments else None,
        matched=tuple(matched),
    )


def _split_name(claims: StaffClaims) -> tuple[str, str]:
    if claims.given_name or claims.family_name:
        return claims.given_name[:150], claims.family_name[:150]
    first, _space, last = claims.name.strip().partition(" ")
    return first[:150], last.strip()[:150]


@transaction.atomic
def staff_login(*, provider: OidcProvider, claims: StaffClaims, where: Where) -> User:
    """Find or create the person by tenant and object id, set their name, e-mail and rights
    from this login, start the session and log the login — all or nothing. Raises
    ``StaffLoginRefused`` (nothing written) for another tenant, a person we have blocked or
    one without a role that gives access."""
    key = claims.key
    if claims.tenant_id != provider.tenant_id.lower():
        raise StaffLoginRefused(
            "tenant",
            _(
                "Du er logget på Microsoft Entra ID i en anden organisation end kommunens. "
                "Log på med din bruger fra kommunen."
            ),
            f"tid {claims.tenant_id[:100]!r}",
            identity_key=key,
        )
    if not claims.object_id or not claims.tenant_id:
        raise StaffLoginRefused("claims", _("Svaret fra Microsoft Entra ID mangler oplysninger."))
    moment = clock.now()
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(source=Source.ENTRA_ID, key=key)
        .first()
    )
    roles = staff_roles_for(provider, claims.roles)
    if link is not None and not link.user.is_active:
        raise StaffLoginRefused(
            "user_inactive",
            _("Din bruger er spærret i Erhvervskontakt. Kontakt en administrator."),
            f"user {link.user.pk}",
            user=link.user,
            identity_key=key,
        )
    if not roles.gives_access:
        raise StaffLoginRefused(
            "no_role",
            _no_role(),
            f"roles {', '.join(claims.roles)[:300]!r}",
            user=link.user if link is not None else None,
            identity_key=key,
        )
    first, last = _split_name(claims)
    if link is None:
        user = User(username=f"{USERNAME_PREFIX}{claims.object_id}"[:150])
        user.set_unusable_password()
    else:
        user = link.user
    fresh: dict[str, object] = {
        "is_staff": True,
        "is_superuser": roles.administrator,
        "is_head_of_unit": roles.head_of_unit,
        "is_coordinator": roles.coordinator,
        "department_id": roles.department.pk if roles.department is not None else None,
    }
    if first or last:
        fresh.update(first_name=first, last_name=last)
    if claims.email:
        fresh["email"] = claims.email
    changed = [name for name, value in fresh.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fresh[name])
    if link is None:
        user.save()
        ExternalIdentity.objects.create(
            source=Source.ENTRA_ID, key=key, user=user, created_at=moment, last_login_at=moment
        )
    else:
        if changed:
            user.save(update_fields=[n.removesuffix("_id") for n in changed])
        link.last_login_at = moment
        link.save(update_fields=["last_login_at"])
    session_key = where.start_session(user) if where.start_session is not None else None
    login_event_record(
        kind=LoginEvent.Kind.LOGIN,
        method=LoginEvent.Method.ENTRA_ID,
        user=user,
        identity_key=key,
        ip=where.ip,
        session_key=session_key,
        request_id=where.request_id,
        detail=f"roller: {roles.describe()} (app-roller: {', '.join(roles.matched)})",
    )
    return user


@transaction.atomic
def staff_login_refuse(*, refusal: OidcRefused, where: Where) -> LoginEvent:
    """Log a refused staff login; a known person refused for having no role left loses
    every right the last login gave (flags and department), in the same transaction."""
    user = refusal.user if isinstance(refusal, StaffLoginRefused) else None
    if user is not None and refusal.reason == "no_role":
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_staff = user.is_superuser = user.is_head_of_unit = user.is_coordinator = False
        user.department = None
        user.save(update_fields=[*ROLE_FLAGS, "department"])
    return login_event_record(
        kind=LoginEvent.Kind.REFUSED,
        method=LoginEvent.Method.ENTRA_ID,
        user=user,
        reason=refusal.reason,
        detail=refusal.detail,
        identity_key=refusal.identity_key if isinstance(refusal, StaffLoginRefused) else "",
        ip=where.ip,
        request_id=where.request_id,
    )

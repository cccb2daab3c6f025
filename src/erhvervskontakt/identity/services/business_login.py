"""A verified MitID Erhverv login becomes our user, acting for the CVR numbers it carries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, Membership
from erhvervskontakt.businesses.services import memberships_confirm_from_login
from erhvervskontakt.common import clock

from ..config import SamlProvider
from ..models import ExternalIdentity, LoginEvent, SeenAssertion, Source
from ..saml import SamlRefused, VerifiedLogin
from .login_log import Where, login_event_record

USERNAME_PREFIX = "mitid-erhverv:"


@dataclass(frozen=True)
class BusinessLogin:
    user: User
    # The businesses this login may act for: the CVR logged in with first, then any CVR
    # a privilege scoped to it gives (an adviser acting for a client).
    businesses: list[Business]


def grants_for(provider: SamlProvider, login: VerifiedLogin) -> dict[str, tuple[str, str]]:
    """CVR → (name, role) this login may act for, by the municipality's privilege rule.

    Without a required privilege: the CVR logged in with. With one: the CVR logged in with if
    the person holds the privilege for it, and every other CVR they hold it for (scoped
    privileges: an adviser acting for a client). Nothing else counts.
    """
    employee, adviser = Membership.Role.EMPLOYEE.value, Membership.Role.ADVISER.value
    required = provider.required_privilege
    if not required:
        return {login.cvr: (login.org_name, employee)}
    grants: dict[str, tuple[str, str]] = {}
    if required in login.privileges.get(login.cvr, frozenset()):
        grants[login.cvr] = (login.org_name, employee)
    for cvr, privileges in sorted(login.privileges.items()):
        if cvr != login.cvr and required in privileges and _valid_cvr(cvr):
            grants[cvr] = ("", adviser)
    return grants


def _valid_cvr(cvr: str) -> bool:
    from stdnum.dk import cvr as stdnum_cvr

    return len(cvr) == 8 and cvr.isdigit() and bool(stdnum_cvr.is_valid(cvr))


@transaction.atomic
def business_login(
    *, provider: SamlProvider, login: VerifiedLogin, where: Where, raw_response: str = ""
) -> BusinessLogin:
    """Record the assertion as used (a second use is a replay), find or create the person by
    their professional UUID, update name and e-mail, upsert the memberships the login
    carries and deactivate those it no longer carries, and log the login — all or nothing.
    Raises ``SamlRefused`` (nothing written) for a replay, a missing privilege or a person
    who is staff."""
    moment = clock.now()
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(
                assertion_id=login.assertion_id,
                seen_at=moment,
                not_on_or_after=login.not_on_or_after,
            )
    except IntegrityError as error:
        raise SamlRefused(
            "replay",
            _("Dette svar fra NemLog-in er brugt før. Start forfra med at logge på."),
            f"assertion {login.assertion_id[:100]}",
        ) from error
    grants = grants_for(provider, login)
    if not grants:
        raise SamlRefused(
            "privilege",
            _(
                "I har ikke den rettighed i MitID Erhverv, som kommunen kræver for at bruge "
                "portalen for virksomheden. Bed jeres MitID Erhverv-administrator om at "
                "tildele den."
            ),
            f"required {provider.required_privilege[:200]!r} for CVR {login.cvr}",
        )
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(source=Source.MITID_ERHVERV, key=login.professional_uuid)
        .first()
    )
    first, _space, last = login.name.partition(" ")
    if link is None:
        user = User.objects.create_user(
            username=f"{USERNAME_PREFIX}{login.professional_uuid}",
            email=login.email,
            first_name=first[:150],
            last_name=last[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        link = ExternalIdentity.objects.create(
            source=Source.MITID_ERHVERV,
            key=login.professional_uuid,
            user=user,
            created_at=moment,
            last_login_at=moment,
        )
    else:
        user = link.user
        if user.is_staff or not user.is_active:
            raise SamlRefused(
                "user_inactive",
                _("Brugeren er spærret hos kommunen. Kontakt kommunen."),
                f"user {user.pk}",
            )
        changed = [
            name
            for name, value in (
                ("email", login.email),
                ("first_name", first[:150]),
                ("last_name", last[:150]),
            )
            if value and getattr(user, name) != value
        ]
        fresh = {"email": login.email, "first_name": first[:150], "last_name": last[:150]}
        for name in changed:
            setattr(user, name, fresh[name])
        if changed:
            user.save(update_fields=changed)
        link.last_login_at = moment
        link.save(update_fields=["last_login_at"])
    businesses = memberships_confirm_from_login(
        user=user,
        grants=grants,
        source=Membership.Source.MITID_ERHVERV,
        moment=moment,
    )
    session_key = where.start_session(user) if where.start_session is not None else None
    login_event_record(
        kind=LoginEvent.Kind.LOGIN,
        method=LoginEvent.Method.MITID_ERHVERV,
        user=user,
        identity_key=login.professional_uuid,
        cvr=login.cvr,
        loa=login.loa,
        ip=where.ip,
        session_key=session_key,
        request_id=where.request_id,
        raw_response=raw_response,
        detail=f"CVR: {', '.join(grants)}",
    )
    return BusinessLogin(user=user, businesses=businesses)

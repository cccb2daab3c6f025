"""The survey answer page (public, by the one-time link in the invitation e-mail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import NotFound, ValidationFailed
from erhvervskontakt.surveys import selectors, services
from erhvervskontakt.surveys.models import OVERALL_KEY, SCALE_MAX, SCALE_MIN, Invitation, Question

FIELD_PREFIX = "q-"


def _language(request: HttpRequest) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "da") or "da").startswith("en") else "da"


def _no_index(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _closed(request: HttpRequest, invitation: Invitation, reason: str) -> HttpResponse:
    return _no_index(
        render(
            request,
            "public/surveys/closed.html",
            {
                "reason": reason,
                "last_day": services.last_valid_day(invitation),
                "municipality": municipality(),
            },
            status=410,
        )
    )


def _fields(
    questions: list[Question], language: str, posted: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """What the template needs per question: label, inputs, value typed, error."""
    fields = []
    for question in questions:
        field_id = f"{FIELD_PREFIX}{question.key}"
        value = posted.get(question.key, "")
        choices: list[dict[str, Any]] = []
        hint = ""
        if question.kind == Question.Kind.SCALE:
            low, high = question.scale_labels(language)
            if low and high:
                hint = _("Fra 1 (%(low)s) til 5 (%(high)s).") % {
                    "low": low.lower(),
                    "high": high.lower(),
                }
            for number in range(SCALE_MIN, SCALE_MAX + 1):
                label = str(number)
                if number == SCALE_MIN and low:
                    label = f"{number} – {low}"
                elif number == SCALE_MAX and high:
                    label = f"{number} – {high}"
                choices.append({"value": str(number), "label": label})
        elif question.kind == Question.Kind.YES_NO:
            choices = [{"value": "ja", "label": _("Ja")}, {"value": "nej", "label": _("Nej")}]
        for position, choice in enumerate(choices):
            choice["id"] = field_id if position == 0 else f"{field_id}-{choice['value']}"
            choice["checked"] = value == choice["value"]
        fields.append(
            {
                "id": field_id,
                "name": field_id,
                "kind": question.kind,
                "label": question.text(language),
                "hint": hint,
                "required": question.key == OVERALL_KEY,
                "choices": choices,
                "value": value,
                "error": errors.get(question.key, ""),
            }
        )
    return fields


@never_cache
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The survey a link leads to (GET), and its answers (POST)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("Linket til tilfredshedsmålingen findes ikke."))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Nobody chose a language here yet: the page speaks the e-mail's language.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    posted: dict[str, str] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        posted = {
            key.removeprefix(FIELD_PREFIX): str(value)
            for key, value in request.POST.items()
            if key.startswith(FIELD_PREFIX)
        }
        try:
            services.response_submit(token=token, answers=posted)
        except NotFound as error:
            raise Http404(error.message) from error
        except services.SurveyClosed as error:
            return _closed(request, invitation, error.reason)
        except ValidationFailed as error:
            errors = error.errors
            status = 422
        else:
            return redirect("surveys:thanks")
    elif invitation.responded_at is not None:
        return _closed(request, invitation, "answered")
    elif clock.now() >= invitation.expires_at:
        return _closed(request, invitation, "expired")
    language = _language(request)
    questions = selectors.questions_for(invitation.occasion)
    fields = _fields(questions, language, posted, errors)
    known = {q.key for q in questions}
    general = list(dict.fromkeys(m for key, m in errors.items() if key not in known))
    summary = {
        "fields": {f["id"]: f["error"] for f in fields if f["error"]},
        "general": general,
    }
    return _no_index(
        render(
            request,
            "public/surveys/respond.html",
            {
                "invitation": invitation,
                "fields": fields,
                "errors": summary if errors else None,
                "last_day": services.last_valid_day(invitation),
                "municipality": municipality(),
            },
            status=status,
        )
    )


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return _no_index(
        render(request, "public/surveys/thanks.html", {"municipality": municipality()})
    )

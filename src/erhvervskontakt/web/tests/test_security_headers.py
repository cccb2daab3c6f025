"""Production headers: `check --deploy` is clean with the environment a production deployment
sets; HSTS, a Content-Security-Policy without inline script, no framing, no sniffing, a
referrer policy and cookies scripts cannot read are on every response; a server error shows
the generic page with the request id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from erhvervskontakt.web.files import INLINE_POLICY

MANAGE = Path(settings.BASE_DIR) / "manage.py"
HOST = "erhverv.kommune.example"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment a production deployment sets (README, "Production"), nothing else
    from this test run's own settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "DEBUG"))
        and key not in {"DATABASE_URL", "CACHE_URL", "EMAIL_BACKEND", "SITE_URL"}
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "-production-only-0123456789-abcdefghijklmnopqrstuv",
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "SITE_URL": f"https://{HOST}",
            "EMAIL_HOST": "smtp.kommune.example",
            "CACHE_URL": "redis://127.0.0.1:6379/9",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
    )
    env.update(overrides)
    return env


def manage(tmp_path: Path, *args: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(MANAGE), *args],
        env=production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "false"}, "security.W005"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SESSION_COOKIE_SECURE": "false"}, "security.W012"),
        ({"CSRF_COOKIE_SECURE": "false"}, "security.W016"),
    ],
    ids=["without-hsts", "hsts-without-subdomains", "no-https-redirect", "session", "csrf"],
)
def test_check_deploy_fails_when_a_protection_is_turned_off(
    tmp_path: Path, overrides: dict[str, str], warning: str
) -> None:
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **overrides)

    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


# Asked inside a production process: the settings it ended up with and what three requests
# get back (the test client, no server): plain HTTP is sent to HTTPS except the health check.
PROBE = f"""
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="{HOST}")
plain = client.get("/api/ingen-adresse")
secure = client.get("/api/ingen-adresse", secure=True)
health = client.get("/healthz")
print(json.dumps({{
    "settings": {{name: getattr(settings, name) for name in (
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT")}},
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": dict(secure.headers),
    "health": health.status_code,
}}))
"""


def probe(tmp_path: Path, **overrides: str) -> dict[str, Any]:
    result = manage(tmp_path, "shell", "-c", PROBE, **overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_production_sends_https_only_hsts_for_a_year_with_subdomains(tmp_path: Path) -> None:
    answer = probe(tmp_path)

    assert answer["settings"]["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert answer["secure"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert answer["plain"] == [301, f"https://{HOST}/api/ingen-adresse"]
    assert answer["health"] == 200  # the load balancer's plain-HTTP probe is not redirected
    assert all(
        answer["settings"][name]
        for name in (
            "SESSION_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "CSRF_COOKIE_SECURE",
            "CSRF_COOKIE_HTTPONLY",
            "SECURE_SSL_REDIRECT",
        )
    )
    policy = directives(answer["secure"]["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


def test_hsts_preload_can_be_turned_off_and_the_check_stays_clean(tmp_path: Path) -> None:
    answer = probe(tmp_path, SECURE_HSTS_PRELOAD="false")
    check = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_PRELOAD="false"
    )

    assert answer["secure"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert check.returncode == 0, check.stdout + check.stderr


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


PAGES = [
    "/",
    "/log-ind/",
    "/medarbejder/log-ind/",
    "/admin/login/",
    "/sagsbehandlingstider/",
    "/ingen-side/",
    "/api/v1/service-types",
    "/api/v1/docs",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client: Client, path: str) -> None:
    response = client.get(path)

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_too_large_page_carries_the_policy_too(client: Client) -> None:
    response = client.post("/log-ind/", {"x": "y"}, CONTENT_LENGTH=str(10**9))

    assert response.status_code == 413
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_scripts_from_our_own_static_files(client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()

    assert "cdn.jsdelivr.net" not in html
    assert "/static/ninja/swagger-ui-init.js" in html


@pytest.mark.django_db
def test_the_cookies_are_http_only_and_same_site(client: Client, karen: Any) -> None:
    karen.set_password("Medarbejder-2026")
    karen.save(update_fields=["password"])

    form = client.get("/medarbejder/log-ind/")
    logged_in = client.post(
        "/medarbejder/log-ind/", {"username": "karen", "password": "Medarbejder-2026"}
    )

    csrf = form.cookies[settings.CSRF_COOKIE_NAME]
    session = logged_in.cookies[settings.SESSION_COOKIE_NAME]
    assert csrf["httponly"] and session["httponly"]
    assert csrf["samesite"] == "Lax" and session["samesite"] == "Lax"
    # The token the forms (and htmx, which posts the forms) send is in the page.
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()


@override_settings(ROOT_URLCONF="erhvervskontakt.web.tests.error_urls")
@pytest.mark.django_db
def test_a_pdf_made_on_the_fly_gets_the_documents_policy_not_the_pages() -> None:
    response = Client().get("/test-pdf/")

    assert response["Content-Security-Policy"] == INLINE_POLICY


@override_settings(ROOT_URLCONF="erhvervskontakt.web.tests.error_urls", DEBUG=False)
@pytest.mark.django_db
def test_a_server_error_shows_the_generic_page_with_the_request_id() -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/test-fejl/", HTTP_X_REQUEST_ID="fejl-2026-11-27-abc")

    html = response.content.decode()
    assert response.status_code == 500
    assert response["X-Request-ID"] == "fejl-2026-11-27-abc"
    assert "Der skete en fejl" in html
    assert "<code>fejl-2026-11-27-abc</code>" in html
    assert "RuntimeError" not in html and "Traceback" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


@override_settings(ROOT_URLCONF="erhvervskontakt.web.tests.error_urls", DEBUG=False)
@pytest.mark.django_db
def test_each_server_error_gets_its_own_request_id_on_the_page() -> None:
    client = Client(raise_request_exception=False)

    first, second = client.get("/test-fejl/"), client.get("/test-fejl/")

    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert f"<code>{first['X-Request-ID']}</code>" in first.content.decode()
    assert f"<code>{second['X-Request-ID']}</code>" in second.content.decode()


@pytest.mark.django_db
def test_an_unexpected_api_error_answers_json_with_the_request_id(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("forced failure")

    # Fault injection at the catalogue selector: what is tested is the API's error answer.
    monkeypatch.setattr("erhvervskontakt.api.routers.service_type_list", broken)

    response = client.get("/api/v1/service-types", HTTP_X_REQUEST_ID="api-fejl-12345678")

    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    assert body["request_id"] == "api-fejl-12345678" == response["X-Request-ID"]
    assert "api-fejl-12345678" in body["detail"]
    assert "RuntimeError" not in response.content.decode()

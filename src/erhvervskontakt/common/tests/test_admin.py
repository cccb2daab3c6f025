"""The administrator maintains the catalogue, departments, staff and closing days in the admin;
cases there are read-only (they change only through the services)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.catalogue.models import Department, Requirement, ServiceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    admin_user.set_password("x-very-long-password")
    admin_user.save()
    client.force_login(admin_user)
    return client


def test_every_admin_list_and_add_page_opens(admin_client, catalogue):
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        response = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        if model_admin.has_add_permission(response.wsgi_request):
            response = admin_client.get(reverse("admin:{}_{}_add".format(*info)))
            assert response.status_code == 200, info


def test_admin_adds_a_service_type_with_its_requirements(admin_client):
    department = Department.objects.create(code="plan", name="Plan")
    response = admin_client.post(
        reverse("admin:catalogue_servicetype_add"),
        {
            "code": "lokalplan",
            "name": "Forespørgsel om lokalplan",
            "name_en": "",
            "description": "",
            "group": "start",
            "department": department.pk,
            "target_working_days": 20,
            "service_target_days": "",
            "kle_code": "01.02.05",
            "active": "on",
            "position": 0,
            "requirements-TOTAL_FORMS": "1",
            "requirements-INITIAL_FORMS": "0",
            "requirements-MIN_NUM_FORMS": "0",
            "requirements-MAX_NUM_FORMS": "1000",
            "requirements-0-position": "1",
            "requirements-0-key": "adresse",
            "requirements-0-label": "Adresse",
            "requirements-0-kind": "field",
            "requirements-0-value_type": "text",
            "requirements-0-mandatory": "on",
            "requirements-0-choices": "[]",
            "requirements-0-help_text": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    service_type = ServiceType.objects.get(code="lokalplan")
    assert service_type.target_working_days == 20
    assert list(
        Requirement.objects.filter(service_type=service_type).values_list("key", flat=True)
    ) == ["adresse"]


def test_a_choice_requirement_needs_its_choices(catalogue):
    requirement = Requirement(
        service_type=catalogue["udeservering"], key="type", label="Type", value_type="choice"
    )
    with pytest.raises(ValidationError) as refused:
        requirement.full_clean()
    assert "choices" in refused.value.message_dict


def test_cases_are_read_only_in_the_admin(admin_client, catalogue, karen, owner, business):
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Vi vil flytte til Odense",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
    )
    url = reverse("admin:cases_case_change", args=[case.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"status": "closed"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "received"
    assert admin_client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403

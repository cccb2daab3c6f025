"""A requirement the catalogue marks ``may_be_unknown`` accepts "Ved ikke" as its answer (any
type); one that is not marked refuses it; a document cannot be marked; the demo marks
Listepunkt; the catalogue search looks in names, descriptions and questions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from erhvervskontakt.cases import rules
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.catalogue.selectors import (
    search_words,
    service_type_list,
    service_type_matches,
)
from erhvervskontakt.common.errors import ValidationFailed
from erhvervskontakt.demo.catalogue import REQUIREMENTS, SERVICE_TYPES

pytestmark = pytest.mark.django_db


def requirement(value_type: str, *, may_be_unknown: bool) -> Requirement:
    return Requirement(
        key="felt",
        label="Felt",
        value_type=value_type,
        choices=[{"value": "a", "label": "A"}] if value_type == "choice" else [],
        may_be_unknown=may_be_unknown,
    )


@pytest.mark.parametrize("value_type", ["text", "number", "date", "boolean", "choice"])
def test_don_t_know_is_an_answer_where_the_catalogue_allows_it(value_type: str) -> None:
    assert rules.clean_answer(requirement(value_type, may_be_unknown=True), rules.UNKNOWN) == (
        rules.UNKNOWN
    )


@pytest.mark.parametrize("value_type", ["number", "date", "boolean", "choice"])
def test_don_t_know_is_refused_where_the_catalogue_does_not_allow_it(value_type: str) -> None:
    with pytest.raises(ValueError, match="Felt"):
        rules.clean_answer(requirement(value_type, may_be_unknown=False), rules.UNKNOWN)


def test_sort_answers_keeps_the_good_ones_and_says_what_is_wrong_with_the_others() -> None:
    asked = {
        "areal": Requirement(key="areal", label="Areal", value_type="number"),
        "matrikel": Requirement(key="matrikel", label="Matrikel"),
    }

    kept, refused = rules.sort_answers({"areal": "ca. 600 m2", "matrikel": "12a"}, asked)

    assert kept == {"matrikel": "12a"}
    assert refused == {"answers.areal": "»Areal« skal besvares med et tal."}
    with pytest.raises(ValidationFailed):
        rules.clean_answers({"areal": "ca. 600 m2", "matrikel": "12a"}, asked)


def test_a_document_cannot_be_answered_with_don_t_know(catalogue: dict[str, ServiceType]) -> None:
    document = Requirement(
        service_type=catalogue["udeservering"], key="skitse2", label="Skitse", kind="document"
    )
    document.may_be_unknown = True

    with pytest.raises(ValidationError) as raised:
        document.full_clean()

    assert "may_be_unknown" in raised.value.message_dict


def test_the_demo_catalogue_marks_the_questions_a_business_may_not_know() -> None:
    marked = {key for key, req in REQUIREMENTS.items() if req.may_be_unknown}

    assert {"listepunkt", "ied-aktivitet"} <= marked
    assert "matrikel" not in marked
    assert all(REQUIREMENTS[key].kind == Requirement.Kind.FIELD for key in marked)
    assert any("listepunkt" in spec.requirements for spec in SERVICE_TYPES)


def test_the_search_looks_in_names_descriptions_departments_and_questions(
    catalogue: dict[str, ServiceType],
) -> None:
    ServiceType.objects.filter(code="udeservering").update(description="Borde på fortovet.")
    found = list(service_type_list())

    def hits(query: str) -> list[str]:
        return [st.code for st in found if service_type_matches(st, search_words(query))]

    assert hits("FORTOV") == ["udeservering"]
    assert hits("vej og park") == ["udeservering"]
    assert hits("matrikel") == ["byggetilladelse-erhverv", "miljoegodkendelse"]
    assert hits("matrikel listepunkt") == ["miljoegodkendelse"]
    assert hits("") == [st.code for st in found]

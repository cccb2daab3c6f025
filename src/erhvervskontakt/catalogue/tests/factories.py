"""A small, realistic catalogue for tests (the demo has the full one)."""

from __future__ import annotations

from erhvervskontakt.catalogue.models import Department, Requirement, ServiceType


def build_catalogue() -> dict[str, ServiceType]:
    """Three departments, four service types with field and document requirements.

    byggetilladelse-erhverv: 30 working days, national target 50 days; asks matrikel (text),
    etageareal (number), tegninger (document), and optional ibrugtagning (date).
    miljoegodkendelse: 60 working days, target 130 days; asks matrikel (shared key),
    listepunkt (choice), ansoegningsskema (document).
    udeservering: 10 working days, no national target; asks areal (number), skitse (optional doc).
    raadgivning: 5 working days, no requirements.
    """
    byg, _ = Department.objects.get_or_create(code="byggeri", defaults={"name": "Byggeri"})
    miljo, _ = Department.objects.get_or_create(code="miljoe", defaults={"name": "Miljø"})
    vej, _ = Department.objects.get_or_create(code="vej", defaults={"name": "Vej og Park"})
    erhverv, _ = Department.objects.get_or_create(
        code="erhverv", defaults={"name": "Erhvervskontakt"}
    )

    def service(code: str, **fields: object) -> ServiceType:
        st, _ = ServiceType.objects.get_or_create(code=code, defaults=fields)
        return st

    def require(st: ServiceType, key: str, label: str, **fields: object) -> None:
        Requirement.objects.get_or_create(
            service_type=st, key=key, defaults={"label": label, **fields}
        )

    building = service(
        "byggetilladelse-erhverv",
        name="Byggetilladelse til industri og lager",
        group=ServiceType.Group.BUILD,
        department=byg,
        target_working_days=30,
        service_target_days=50,
        position=1,
    )
    require(building, "matrikel", "Matrikelnummer", position=1)
    require(building, "etageareal", "Etageareal i m²", value_type="number", position=2)
    require(building, "tegninger", "Tegninger", kind="document", position=3)
    require(
        building,
        "ibrugtagning",
        "Forventet ibrugtagning",
        value_type="date",
        mandatory=False,
        position=4,
    )
    environment = service(
        "miljoegodkendelse",
        name="Miljøgodkendelse (bilag 2)",
        group=ServiceType.Group.ENVIRONMENT,
        department=miljo,
        target_working_days=60,
        service_target_days=130,
        position=2,
    )
    require(environment, "matrikel", "Matrikelnummer", position=1)
    require(
        environment,
        "listepunkt",
        "Listepunkt",
        value_type="choice",
        choices=[
            {"value": "K206", "label": "K 206 Maskinfabrik"},
            {"value": "D201", "label": "D 201 Renseri"},
        ],
        position=2,
    )
    require(environment, "ansoegningsskema", "Ansøgningsskema", kind="document", position=3)
    outdoor = service(
        "udeservering",
        name="Udeservering",
        group=ServiceType.Group.ROAD,
        department=vej,
        target_working_days=10,
        position=3,
    )
    require(outdoor, "areal", "Areal i m²", value_type="number", position=1)
    require(outdoor, "skitse", "Skitse", kind="document", mandatory=False, position=2)
    advice = service(
        "raadgivning",
        name="Rådgivning om etablering",
        group=ServiceType.Group.ADVICE,
        department=erhverv,
        target_working_days=5,
        position=4,
    )
    return {st.code: st for st in (building, environment, outdoor, advice)}

"""The demo municipality's departments and service catalogue.

Longer than ~600 lines: it is data (every service type with its Danish and English texts,
requirements and choices), not logic.

Fifteen service types a business may ask for, in the five groups of ``ServiceType.Group``, and
one the municipality opens itself (``miljoetilsyn``, the inspection visit), with realistic
Danish names, requirements that share keys across service types (``matrikel``, ``adresse``,
``tegninger`` …: one answer satisfies every service type that asks), target answer times in
working days, and the national service targets where they exist (calendar days from the case
is fully informed: building permits for industry and warehouses 50, simple constructions 40,
multi-storey commercial 55; environmental approval bilag 2 130, bilag 1 200).

KLE numbers follow the public KL-emnesystematik (kle-online.dk) at group level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from erhvervskontakt.calendar.services import closing_days_seed_defaults
from erhvervskontakt.catalogue.models import Department, Municipality, Requirement, ServiceType

Group = ServiceType.Group

MUNICIPALITY_NAME = "Demo Kommune"
MUNICIPALITY_EMAIL = "erhvervskontakt@demo-kommune.example"
MUNICIPALITY_PHONE = "65 51 10 00"

# (code, name)
DEPARTMENTS: list[tuple[str, str]] = [
    ("erhvervskontakt", "Erhvervskontakt"),
    ("byggeri", "Byggeri"),
    ("miljoe", "Miljø"),
    ("vej-og-park", "Vej og Park"),
    ("plan", "Plan"),
    ("beredskab", "Beredskab"),
]


@dataclass(frozen=True)
class Req:
    """One question or document, by key; the same key means the same question everywhere."""

    key: str
    label: str
    label_en: str
    kind: str = Requirement.Kind.FIELD
    value_type: str = Requirement.Type.TEXT
    # (value, Danish label, English label)
    choices: tuple[tuple[str, str, str], ...] = ()
    help_text: str = ""
    # a question many businesses cannot answer themselves: "Ved ikke" is an answer
    may_be_unknown: bool = False


DOC = Requirement.Kind.DOCUMENT
NUMBER = Requirement.Type.NUMBER
DATE = Requirement.Type.DATE
BOOLEAN = Requirement.Type.BOOLEAN
CHOICE = Requirement.Type.CHOICE

REQUIREMENTS: dict[str, Req] = {
    r.key: r
    for r in [
        Req(
            "matrikel",
            "Matrikelnummer og ejerlav",
            "Cadastral number",
            help_text="Fx »12a Dalum By, Dalum«. Findes på ois.dk eller i BBR.",
        ),
        Req("adresse", "Adresse for aktiviteten", "Address of the activity"),
        Req("branche", "Virksomhedens branche og aktiviteter", "Line of business"),
        Req(
            "ansatte", "Forventet antal ansatte", "Expected number of employees", value_type=NUMBER
        ),
        Req("startdato", "Forventet startdato", "Expected start date", value_type=DATE),
        Req(
            "lejemaal",
            "Lejer virksomheden lokalerne?",
            "Are the premises rented?",
            value_type=BOOLEAN,
        ),
        Req("etageareal", "Samlet etageareal (m²)", "Total floor area (m²)", value_type=NUMBER),
        Req("bebygget-areal", "Bebygget areal (m²)", "Built-up area (m²)", value_type=NUMBER),
        Req("antal-etager", "Antal etager", "Number of storeys", value_type=NUMBER),
        Req(
            "ibrugtagning",
            "Forventet ibrugtagning",
            "Expected date of use",
            value_type=DATE,
        ),
        Req(
            "tegninger",
            "Tegninger (plan, snit og facader)",
            "Drawings (plans, sections, elevations)",
            kind=DOC,
        ),
        Req("situationsplan", "Situationsplan", "Site plan", kind=DOC),
        Req(
            "statisk-dokumentation",
            "Statisk dokumentation",
            "Structural documentation",
            kind=DOC,
        ),
        Req("brandstrategi", "Brandstrategirapport", "Fire strategy report", kind=DOC),
        Req(
            "projektbeskrivelse",
            "Beskrivelse af projektet og den nuværende anvendelse",
            "Project description",
        ),
        Req(
            "listepunkt",
            "Listepunkt (bilag 2 i godkendelsesbekendtgørelsen)",
            "Activity list item (annex 2)",
            value_type=CHOICE,
            may_be_unknown=True,
            help_text="Aktiviteten efter bilag 2 i godkendelsesbekendtgørelsen.",
            choices=(
                (
                    "K206",
                    "K 206 Maskinfabrikker og metalvareindustri",
                    "K 206 Machine factories and metal goods industry",
                ),
                ("K207", "K 207 Overfladebehandling af metal", "K 207 Surface treatment of metal"),
                (
                    "E205",
                    "E 205 Fremstilling af færdigretter og konserves",
                    "E 205 Production of ready meals and preserves",
                ),
                (
                    "I201",
                    "I 201 Træindustri og møbelfabrikker",
                    "I 201 Wood industry and furniture factories",
                ),
                (
                    "D204",
                    "D 204 Anlæg til genvinding og oplag af affald",
                    "D 204 Installations for recovery and storage of waste",
                ),
            ),
        ),
        Req(
            "ied-aktivitet",
            "Aktivitet efter IE-direktivet (bilag 1)",
            "Activity under the Industrial Emissions Directive (annex 1)",
            value_type=CHOICE,
            may_be_unknown=True,
            choices=(
                (
                    "2.6",
                    "2.6 Overfladebehandling af metaller og plast",
                    "2.6 Surface treatment of metals and plastics",
                ),
                (
                    "5.3",
                    "5.3 Bortskaffelse og nyttiggørelse af ikke-farligt affald",
                    "5.3 Disposal and recovery of non-hazardous waste",
                ),
                ("6.4b", "6.4 b Fremstilling af fødevarer", "6.4 b Production of food"),
                (
                    "6.7",
                    "6.7 Overfladebehandling med organiske opløsningsmidler",
                    "6.7 Surface treatment using organic solvents",
                ),
            ),
        ),
        Req(
            "ansoegningsskema-miljoe",
            "Ansøgningsskema om miljøgodkendelse (fra bygogmiljoe.dk)",
            "Application form for environmental approval",
            kind=DOC,
        ),
        Req("driftstid", "Driftstider (dage og klokkeslæt)", "Operating hours"),
        Req("stoejberegning", "Støjberegning", "Noise calculation", kind=DOC),
        Req(
            "basistilstandsrapport",
            "Basistilstandsrapport for jord og grundvand",
            "Baseline report on soil and groundwater",
            kind=DOC,
        ),
        Req(
            "bat-redegoerelse",
            "Redegørelse for bedste tilgængelige teknik (BAT)",
            "Best available techniques (BAT) statement",
            kind=DOC,
        ),
        Req(
            "vaerkstedstype",
            "Type af værksted",
            "Type of workshop",
            value_type=CHOICE,
            choices=(
                ("autovaerksted", "Autoværksted", "Car repair workshop"),
                ("autolakereri", "Autolakereri", "Car paint shop"),
                ("vaskehal", "Vaskehal", "Car wash"),
                ("daekcenter", "Dækcenter", "Tyre centre"),
            ),
        ),
        Req("indretningsplan", "Indretningsplan med afløb", "Layout plan with drains", kind=DOC),
        Req(
            "olieudskiller",
            "Er der olieudskiller på afløbet?",
            "Is there an oil separator on the drain?",
            value_type=BOOLEAN,
        ),
        Req(
            "spildevandsmaengde",
            "Forventet mængde spildevand (m³ pr. år)",
            "Expected waste water (m³ per year)",
            value_type=NUMBER,
            may_be_unknown=True,
        ),
        Req(
            "spildevandsstoffer",
            "Stoffer i spildevandet og rensning før afløb",
            "Substances in the waste water",
        ),
        Req(
            "ansoegning-spildevand",
            "Ansøgning om tilslutningstilladelse",
            "Application for discharge permit",
            kind=DOC,
        ),
        Req("areal", "Areal (m²)", "Area (m²)", value_type=NUMBER),
        Req(
            "saeson",
            "Periode",
            "Period",
            value_type=CHOICE,
            choices=(
                ("saeson", "Sæson (1. april – 31. oktober)", "Season (1 April – 31 October)"),
                ("helaar", "Hele året", "All year"),
            ),
        ),
        Req("skitse", "Skitse over opstilling", "Sketch of the layout", kind=DOC),
        Req("periode-start", "Første dag", "First day", value_type=DATE),
        Req("periode-slut", "Sidste dag", "Last day", value_type=DATE),
        Req(
            "afspaerringsplan",
            "Afspærringsplan (skiltning og afmærkning)",
            "Traffic management plan",
            kind=DOC,
        ),
        Req(
            "materiel",
            "Hvad skal stå på vejen?",
            "What will be placed on the road?",
            value_type=CHOICE,
            choices=(
                ("stillads", "Stillads", "Scaffolding"),
                ("container", "Container", "Container"),
                ("skurvogn", "Skurvogn", "Site hut"),
                ("lift", "Lift eller kran", "Lift or crane"),
            ),
        ),
        Req("arrangement-dato", "Dato for arrangementet", "Date of the event", value_type=DATE),
        Req(
            "antal-personer",
            "Største antal personer på én gang",
            "Largest number of people at once",
            value_type=NUMBER,
        ),
        Req("flugtvejsplan", "Plan over flugtveje og brandslukning", "Escape route plan", kind=DOC),
        Req(
            "emne",
            "Hvad vil I gerne tale om?",
            "What would you like to discuss?",
            value_type=CHOICE,
            choices=(
                ("etablering", "Etablering eller flytning", "Starting or relocating"),
                ("udvidelse", "Udvidelse af virksomheden", "Expanding the business"),
                (
                    "myndighed",
                    "Tilladelser og myndighedskrav",
                    "Permits and regulatory requirements",
                ),
                ("andet", "Andet", "Other"),
            ),
        ),
    ]
}


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    name_en: str
    group: str
    department: str
    target_working_days: int
    service_target_days: int | None
    kle_code: str
    description: str
    # requirement keys; a trailing "?" marks an optional one
    requirements: tuple[str, ...] = field(default_factory=tuple)
    # False: the municipality opens such cases itself (never offered in an inquiry)
    requestable: bool = True


SERVICE_TYPES: list[ServiceSpec] = [
    ServiceSpec(
        "etablering",
        "Etablering eller flytning af virksomhed",
        "Starting or relocating a business",
        Group.START,
        "erhvervskontakt",
        10,
        None,
        "24.10.00",
        "Vi afklarer samlet, hvilke tilladelser og krav der gælder, når I starter, flytter "
        "eller udvider en virksomhed i kommunen.",
        ("adresse", "branche", "ansatte", "startdato", "lejemaal?"),
    ),
    ServiceSpec(
        "planforhold",
        "Forhåndsdialog om lokalplan og planforhold",
        "Preliminary dialogue on local plan and zoning",
        Group.START,
        "plan",
        15,
        None,
        "01.02.05",
        "Må virksomheden ligge her? Vi ser på lokalplan, kommuneplanramme og miljøklasse for "
        "ejendommen.",
        ("adresse", "branche", "matrikel?"),
    ),
    ServiceSpec(
        "arrangement-beredskab",
        "Brandteknisk godkendelse af arrangement eller midlertidig overnatning",
        "Fire safety approval of an event or temporary accommodation",
        Group.START,
        "beredskab",
        10,
        None,
        "14.00.00",
        "Arrangementer med over 150 personer og midlertidig overnatning kræver beredskabets "
        "godkendelse af flugtveje og brandforhold.",
        ("adresse", "arrangement-dato", "antal-personer", "flugtvejsplan"),
    ),
    ServiceSpec(
        "byggetilladelse-industri-lager",
        "Byggetilladelse til industri- og lagerbygninger",
        "Building permit for industrial and warehouse buildings",
        Group.BUILD,
        "byggeri",
        35,
        50,
        "02.34.02",
        "Nybyggeri, tilbygning og ombygning af produktions- og lagerbygninger.",
        (
            "matrikel",
            "etageareal",
            "tegninger",
            "situationsplan",
            "statisk-dokumentation",
            "ibrugtagning?",
        ),
    ),
    ServiceSpec(
        "byggetilladelse-simpel",
        "Byggetilladelse til simple konstruktioner",
        "Building permit for simple constructions",
        Group.BUILD,
        "byggeri",
        25,
        40,
        "02.34.02",
        "Fx overdækninger, skure, cykelparkering og mindre tilbygninger til erhverv.",
        ("matrikel", "bebygget-areal", "situationsplan", "tegninger?"),
    ),
    ServiceSpec(
        "byggetilladelse-etagebyggeri-erhverv",
        "Byggetilladelse til etagebyggeri til erhverv",
        "Building permit for multi-storey commercial buildings",
        Group.BUILD,
        "byggeri",
        40,
        55,
        "02.34.02",
        "Kontor-, butiks- og erhvervsbyggeri i flere etager.",
        (
            "matrikel",
            "etageareal",
            "antal-etager",
            "tegninger",
            "brandstrategi",
            "statisk-dokumentation",
            "ibrugtagning?",
        ),
    ),
    ServiceSpec(
        "landzonetilladelse",
        "Landzonetilladelse til erhverv",
        "Rural zone permit for business use",
        Group.BUILD,
        "plan",
        35,
        None,
        "01.03.03",
        "Ny erhvervsanvendelse af bygninger i landzone, fx værksted eller gårdbutik i en "
        "overflødig landbrugsbygning.",
        ("matrikel", "projektbeskrivelse", "situationsplan"),
    ),
    ServiceSpec(
        "miljoegodkendelse-bilag-2",
        "Miljøgodkendelse af listevirksomhed (bilag 2)",
        "Environmental approval, listed activity (annex 2)",
        Group.ENVIRONMENT,
        "miljoe",
        90,
        130,
        "09.02.05",
        "Godkendelse efter miljøbeskyttelseslovens kapitel 5, før virksomheden bygges, tages i "
        "brug eller udvides.",
        ("matrikel", "listepunkt", "ansoegningsskema-miljoe", "driftstid", "stoejberegning?"),
    ),
    ServiceSpec(
        "miljoegodkendelse-bilag-1",
        "Miljøgodkendelse af IE-virksomhed (bilag 1)",
        "Environmental approval, IED installation (annex 1)",
        Group.ENVIRONMENT,
        "miljoe",
        140,
        200,
        "09.02.05",
        "Godkendelse af de største og mest forurenende virksomheder efter IE-direktivet.",
        (
            "matrikel",
            "ied-aktivitet",
            "ansoegningsskema-miljoe",
            "basistilstandsrapport",
            "bat-redegoerelse",
            "driftstid",
        ),
    ),
    ServiceSpec(
        "anmeldelse-vaerksted",
        "Anmeldelse af autoværksted, autolakereri eller vaskehal",
        "Notification of a car workshop or car wash",
        Group.ENVIRONMENT,
        "miljoe",
        20,
        None,
        "09.02.00",
        "Værksteder og vaskehaller skal anmeldes til kommunen senest 4 uger før start.",
        ("adresse", "vaerkstedstype", "indretningsplan", "olieudskiller"),
    ),
    ServiceSpec(
        "tilslutning-spildevand",
        "Tilslutningstilladelse til industrispildevand",
        "Permit to discharge industrial waste water",
        Group.ENVIRONMENT,
        "miljoe",
        30,
        None,
        "06.01.06",
        "Tilladelse til at aflede processpildevand til det offentlige kloaknet.",
        ("matrikel", "spildevandsmaengde", "spildevandsstoffer", "ansoegning-spildevand"),
    ),
    ServiceSpec(
        "udeservering",
        "Udeservering på fortov og torv",
        "Outdoor serving on pavements and squares",
        Group.ROAD,
        "vej-og-park",
        10,
        None,
        "05.04.08",
        "Borde og stole på kommunens vejareal foran restauranten eller caféen.",
        ("adresse", "areal", "saeson", "skitse?"),
    ),
    ServiceSpec(
        "gravetilladelse",
        "Gravetilladelse i offentlig vej",
        "Excavation permit in a public road",
        Group.ROAD,
        "vej-og-park",
        10,
        None,
        "05.04.04",
        "Opgravning i vej, fortov eller cykelsti, fx til ledninger og stikledninger.",
        ("adresse", "periode-start", "periode-slut", "afspaerringsplan"),
    ),
    ServiceSpec(
        "raaden-over-vejareal",
        "Råden over vejareal (stillads, container, skurvogn)",
        "Use of road space (scaffolding, container, site hut)",
        Group.ROAD,
        "vej-og-park",
        5,
        None,
        "05.04.08",
        "Midlertidig opstilling af stillads, container, skurvogn eller lift på vejen.",
        ("adresse", "materiel", "periode-start", "periode-slut", "areal?"),
    ),
    ServiceSpec(
        "afklaringsmoede",
        "Afklaringsmøde med Erhvervskontakt",
        "Clarification meeting with the Business Contact",
        Group.ADVICE,
        "erhvervskontakt",
        5,
        None,
        "24.10.00",
        "Et møde, hvor alle relevante fagområder sidder med, så I får ét samlet overblik.",
        ("emne?",),
    ),
    ServiceSpec(
        "miljoetilsyn",
        "Miljøtilsyn",
        "Environmental inspection",
        Group.ENVIRONMENT,
        "miljoe",
        40,
        None,
        "09.02.00",
        "Kommunens tilsyn med virksomheder og landbrug efter miljøtilsynsbekendtgørelsen: "
        "besøg, rapport inden 2 måneder og aftalte løsninger. Kommunen opretter selv sagen.",
        (),
        requestable=False,
    ),
]

# The descriptions on the English pages, by service type code (one for every service type).
DESCRIPTIONS_EN: dict[str, str] = {
    "etablering": (
        "We clarify in one go which permits and requirements apply when you start, move or "
        "expand a business in the municipality."
    ),
    "planforhold": (
        "May the business be located here? We look at the local plan, the municipal plan "
        "framework and the environmental class of the property."
    ),
    "arrangement-beredskab": (
        "Events with more than 150 people and temporary accommodation need the fire and rescue "
        "service's approval of escape routes and fire safety."
    ),
    "byggetilladelse-industri-lager": (
        "New buildings, extensions and conversions of production and warehouse buildings."
    ),
    "byggetilladelse-simpel": (
        "For example canopies, sheds, bicycle parking and smaller extensions for business use."
    ),
    "byggetilladelse-etagebyggeri-erhverv": (
        "Office, shop and commercial buildings on several floors."
    ),
    "landzonetilladelse": (
        "New business use of buildings in a rural zone, for example a workshop or a farm shop "
        "in a redundant farm building."
    ),
    "miljoegodkendelse-bilag-2": (
        "Approval under chapter 5 of the Environmental Protection Act before the business is "
        "built, taken into use or expanded."
    ),
    "miljoegodkendelse-bilag-1": (
        "Approval of the largest and most polluting installations under the Industrial "
        "Emissions Directive."
    ),
    "anmeldelse-vaerksted": (
        "Workshops and car washes must be notified to the municipality at least 4 weeks before "
        "they start."
    ),
    "tilslutning-spildevand": (
        "Permission to discharge process waste water into the public sewer."
    ),
    "udeservering": (
        "Tables and chairs on the municipality's road area in front of the restaurant or café."
    ),
    "gravetilladelse": (
        "Digging up a road, pavement or cycle path, for example for cables and service pipes."
    ),
    "raaden-over-vejareal": (
        "Temporary placing of scaffolding, a container, a site hut or a lift on the road."
    ),
    "afklaringsmoede": (
        "A meeting with every relevant department at the table, so that you get one overall "
        "picture."
    ),
    "miljoetilsyn": (
        "The municipality's inspection of businesses and farms under the Environmental "
        "Inspection Order: a visit, a report within 2 months and agreed solutions. The "
        "municipality opens the case itself."
    ),
}


@transaction.atomic
def load_catalogue() -> dict[str, ServiceType]:
    """The demo municipality (name and contact on the one Municipality row), its closing
    days, departments and catalogue. Idempotent: departments and service types that exist
    (by code) are left as they are.
    """
    closing_days_seed_defaults()
    row = Municipality.objects.filter(pk=1).first() or Municipality(pk=1)
    row.name = MUNICIPALITY_NAME
    row.email = MUNICIPALITY_EMAIL
    row.phone = MUNICIPALITY_PHONE
    row.save()
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "email": f"{code}@demo-kommune.example"}
        )
    found: dict[str, ServiceType] = {}
    for position, spec in enumerate(SERVICE_TYPES, start=1):
        st, created = ServiceType.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "description": spec.description,
                "description_en": DESCRIPTIONS_EN[spec.code],
                "group": spec.group,
                "department": departments[spec.department],
                "target_working_days": spec.target_working_days,
                "service_target_days": spec.service_target_days,
                "kle_code": spec.kle_code,
                "requestable": spec.requestable,
                "position": position,
            },
        )
        if created:
            rows = []
            for index, item in enumerate(spec.requirements, start=1):
                key = item.rstrip("?")
                req = REQUIREMENTS[key]
                rows.append(
                    Requirement(
                        service_type=st,
                        key=key,
                        label=req.label,
                        label_en=req.label_en,
                        help_text=req.help_text,
                        kind=req.kind,
                        value_type=req.value_type if req.kind == Requirement.Kind.FIELD else "text",
                        choices=[
                            {"value": v, "label": lbl, "label_en": lbl_en}
                            for v, lbl, lbl_en in req.choices
                        ],
                        mandatory=not item.endswith("?"),
                        may_be_unknown=req.may_be_unknown,
                        position=index,
                    )
                )
            for requirement in rows:
                requirement.full_clean(exclude=["service_type"])
            Requirement.objects.bulk_create(rows)
        found[spec.code] = st
    return found

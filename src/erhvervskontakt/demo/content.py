"""Danish demo content: staff, businesses, what they ask for, what they are answered.

Longer than ~600 lines on purpose: it is data (the demo's Danish texts), not logic.

Everything here is fictitious. E-mail addresses use the reserved ``.example`` top-level
domain, so nothing the demo (or a later mail feature) sends can reach a real mailbox.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any


def _words(text: str) -> list[str]:
    return text.split()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


def _rows(table: str, columns: int) -> list[list[str]]:
    """The rows of a ``|``-separated table (one row a line)."""
    rows = []
    for line in table.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) != columns:
            raise ValueError(f"expected {columns} columns: {line!r}")
        rows.append(cells)
    return rows


# --- staff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    title: str
    phone: str
    department: str | None
    coordinator: bool = False
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@demo-kommune.example"


ADMIN_USERNAME = "admin"
HEAD_USERNAME = "hanne"
INTEGRATION_USERNAME = "fagsystem"

# username | first name | last name | title | phone | department | role
_STAFF_TABLE = """
admin | Administrator |  | Systemadministrator |  |  | superuser
hanne | Hanne | Skov | Afdelingsleder, Erhvervskontakt | 65 51 10 01 | erhvervskontakt |
karen | Karen | Kofoed | Erhvervskonsulent | 65 51 10 21 | erhvervskontakt | coordinator
lars | Lars | Lund | Erhvervskonsulent | 65 51 10 22 | erhvervskontakt | coordinator
mette | Mette | Holm | Erhvervskonsulent | 65 51 10 23 | erhvervskontakt | coordinator
jonas | Jonas | Vestergaard | Erhvervskonsulent | 65 51 10 24 | erhvervskontakt | coordinator
bodil | Bodil | Bach | Byggesagsbehandler | 65 51 20 11 | byggeri |
peter | Peter | Dahl | Bygningskonstruktør | 65 51 20 12 | byggeri |
anne | Anne | Friis | Byggesagsbehandler | 65 51 20 13 | byggeri |
soeren | Søren | Krogh | Miljømedarbejder | 65 51 30 11 | miljoe |
rikke | Rikke | Mølgaard | Miljøsagsbehandler, biolog | 65 51 30 12 | miljoe |
thomas | Thomas | Brix | Civilingeniør, industrimiljø | 65 51 30 13 | miljoe |
camilla | Camilla | Juhl | Vejmyndighed, råden over vej | 65 51 40 11 | vej-og-park |
ole | Ole | Ravn | Trafikplanlægger | 65 51 40 12 | vej-og-park |
louise | Louise | Berg | Byplanlægger | 65 51 50 11 | plan |
henrik | Henrik | Sand | Landzonesagsbehandler | 65 51 50 12 | plan |
maja | Maja | Thorsen | Brandteknisk sagsbehandler | 65 51 60 11 | beredskab |
"""

STAFF: list[StaffSpec] = [
    StaffSpec(
        username,
        first,
        last,
        title,
        phone,
        department or None,
        coordinator=role == "coordinator",
        superuser=role == "superuser",
    )
    for username, first, last, title, phone, department, role in _rows(_STAFF_TABLE, 7)
]

COORDINATOR_USERNAMES = [s.username for s in STAFF if s.coordinator]

# --- businesses ---------------------------------------------------------------------------

CITIES = {
    "5000": "Odense C",
    "5200": "Odense V",
    "5210": "Odense NV",
    "5220": "Odense SØ",
    "5230": "Odense M",
    "5240": "Odense NØ",
    "5250": "Odense SV",
    "5260": "Odense S",
    "5270": "Odense N",
}


@dataclass(frozen=True)
class BusinessSpec:
    name: str
    industry: str
    kind: str
    address: str
    postcode: str
    portal_user: str = ""  # the owner's full name; empty: no portal user

    @property
    def city(self) -> str:
        return CITIES[self.postcode]

    @property
    def domain(self) -> str:
        return f"{slug(self.name)}.example"

    @property
    def portal_email(self) -> str:
        first = slug(self.portal_user.split()[0]) if self.portal_user else "kontakt"
        return f"{first}@{self.domain}"


# name | industry | kind (which inquiries it makes) | address | postcode | portal user
_BUSINESS_TABLE = """
Fynsk Maskinfabrik ApS | Fremstilling af maskiner | produktion | Hvidkærvej 42 | 5250 | Jesper Frandsen
Café Gråbrødre ApS | Caféer | restaurant | Overgade 18 | 5000 | Sofie Lauridsen
Odense Stålkonstruktion A/S | Fremstilling af metalkonstruktioner | produktion | Stærmosegårdsvej 9 | 5230 | Michael Thomsen
Restaurant Havnekanten ApS | Restauranter | restaurant | Havnegade 72 | 5000 | Kasper Møller
Tømrerfirmaet Bak & Søn ApS | Tømrer- og bygningssnedkervirksomhed | byg | Rugårdsvej 201 | 5210 | Anders Bak
Autoværkstedet Rosengård ApS | Reparation og vedligeholdelse af motorkøretøjer | vaerksted | Ørbækvej 260 | 5220 | Rasmus Olsen
Dataloft Odense ApS | Computerprogrammering | kontor | Kongensgade 35 | 5000 | Line Kristensen
Fyns Logistik & Lager A/S | Oplagring og lagerhotel | logistik | Dalumvej 99 | 5250 | Morten Poulsen
Pizzeria Bella Vista Odense ApS | Pizzeriaer og grillbarer | restaurant | Vestergade 61 | 5000 |
Bolbro Metalvarer ApS | Fremstilling af metalvarer | produktion | Middelfartvej 121 | 5200 |
Tarup Plastindustri A/S | Fremstilling af plastemballage | produktion | Tarupvej 45 | 5210 | Helle Jakobsen
Dalum Træ & Møbler ApS | Fremstilling af møbler | produktion | Svendborgvej 226 | 5260 |
Fyns Overfladebehandling ApS | Overfladebehandling af metal | produktion | Hvidkærvej 61 | 5250 | Jakob Mikkelsen
Højme Elektronik A/S | Fremstilling af elektroniske komponenter | produktion | Stærmosegårdsvej 30 | 5230 |
Hjallese Emballage A/S | Fremstilling af emballage af pap | produktion | Hjallesevej 122 | 5260 |
Odense Færdigretter A/S | Fremstilling af færdigretter | foedevarer | Blangstedgårdsvej 15 | 5220 | Birgitte Holm
Nordfyns Grøntpakkeri ApS | Engroshandel med frugt og grønt | foedevarer | Lumbyvej 17 | 5270 |
Munke Mose Bryghus ApS | Bryggerier | foedevarer | Filosofgangen 12 | 5000 | Nikolaj Dahl
Fynsk Fødevareindustri A/S | Forarbejdning og konservering af kød | foedevarer | Ørbækvej 480 | 5220 |
Bageriet i Dalum ApS | Bagerier | restaurant | Dalumvej 12 | 5250 | Julie Rasmussen
Kaffebaren på Kongensgade I/S | Caféer | restaurant | Kongensgade 58 | 5000 |
Brasserie Flakhaven ApS | Restauranter | restaurant | Flakhaven 3 | 5000 | Christian Madsen
Sushi & Ramen Vindegade ApS | Restauranter | restaurant | Vindegade 44 | 5000 |
Gastropub Brandts ApS | Barer og værtshuse | restaurant | Brandts Passage 21 | 5000 | Trine Knudsen
Fyns Murer- og Entreprenørforretning A/S | Murervirksomhed | byg | Sanderumvej 8 | 5250 | Martin Sørensen
VVS-Centralen Odense ApS | VVS- og blikkenslagervirksomhed | byg | Ejbygade 15 | 5240 |
El-Service Vollsmose ApS | Elinstallationsvirksomhed | byg | Korsløkkevej 88 | 5240 |
Tagdækning Fyn ApS | Tagdækningsvirksomhed | byg | Fangelvej 54 | 5260 |
Odense Stilladsudlejning ApS | Udlejning af stilladser | byg | Hvidkærvej 12 | 5250 | Frederik Larsen
Bilpleje & Vaskehal Tarup ApS | Vaskehaller og bilpleje | vaerksted | Tarupvej 90 | 5210 |
Dækcentret Odense SØ ApS | Handel med dæk og reparation | vaerksted | Ørbækvej 301 | 5220 |
Lakereriet Seden ApS | Autolakering | vaerksted | Seden Strandvej 14 | 5240 | Pernille Pedersen
Motorcenter Bolbro ApS | Reparation af motorkøretøjer | vaerksted | Middelfartvej 180 | 5200 |
Tegnestuen Nord Arkitekter ApS | Arkitektvirksomhed | kontor | Nørregade 30 | 5000 | Ida Christiansen
Advokathuset Fyn I/S | Advokatvirksomhed | kontor | Klaregade 8 | 5000 |
Robotdalen Tech A/S | Fremstilling af industrirobotter | kontor | Niels Bohrs Allé 25 | 5230 | Mads Hansen
Regnskabskontoret Vesterbro ApS | Bogføring og revision | kontor | Vesterbro 47 | 5000 |
Cobotic Solutions ApS | Udvikling af software til robotter | kontor | Campusvej 55 | 5230 |
Blomsterhuset Dalum ApS | Blomsterforretninger | detail | Dalumvej 31 | 5250 |
Cykelsmeden i Hjallese ApS | Detailhandel med cykler | detail | Hjallesevej 30 | 5260 | Signe Johansen
Købmand Holm ApS | Supermarkeder og købmænd | detail | Rismarksvej 2 | 5200 |
Isenkræmmeren på Østergade ApS | Detailhandel med isenkram | detail | Østergade 20 | 5000 |
Odense Havnespedition ApS | Godshåndtering i havne | logistik | Havnegade 100 | 5000 |
Kurerservice Fyn ApS | Kurertjenester | logistik | Grønløkkevej 6 | 5000 |
Lager Syd Odense ApS | Oplagring | logistik | Svendborgvej 302 | 5260 | Malene Nielsen
Gårdbutikken Stige Mark I/S | Landbrug med gårdbutik | landzone | Stige Mark 4 | 5270 | Jens Andersen
Højby Hestepension & Smedje | Hestepension og smedie | landzone | Højbyvej 77 | 5260 |
Festivalservice Fyn ApS | Arrangering af festivaler og events | event | Munkebjergvej 130 | 5230 | Louise Jørgensen
Fyns Genvinding A/S | Genvinding af sorterede materialer | affald | Lumbyvej 60 | 5270 |
Sanderum Gartneri ApS | Dyrkning af grøntsager i væksthus | landzone | Sanderumvej 112 | 5250 |
"""

BUSINESSES: list[BusinessSpec] = [BusinessSpec(*row) for row in _rows(_BUSINESS_TABLE, 6)]

FIRST_NAMES = _words(
    """
Anna Mads Sofie Rasmus Line Jesper Mette Kasper Camilla Anders Louise Morten Maria
Christian Julie Frederik Pernille Nikolaj Helle Michael Trine Martin Signe Jakob Birgitte
Henrik Ida Thomas Malene Jens Emma Lasse Karina Simon Tina Bo
"""
)
LAST_NAMES = _words(
    """
Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen
Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen
Knudsen Jakobsen Mikkelsen Frandsen Lauridsen Holm Dahl Bech Skov Kjær
"""
)
EJERLAV = _lines(
    """
Odense Bygrunde
Dalum By, Dalum
Hjallese By, Dalum
Bolbro By, Odense Jorder
Tarup By, Pårup
Seden By, Seden
Højme By, Dalum
Ejby By, Odense Jorder
Stige By, Lumby
Sanderum By, Sanderum
"""
)

# For synthetic volume businesses: place + trade + legal form.
PLACES = _lines(
    """
Fynsk
Odense
Dalum
Bolbro
Hjallese
Tarup
Ejby
Vollsmose
Seden
Stige
Højme
Hunderup
Bellinge
Fangel
Korup
Holluf
Næsby
Agedrup
Paarup
Tarup
Lumby
Fraugde
Munkebjerg
Hestehaven
Skibhus
"""
)
# trade word in the name | industry | kind
TRADES: list[tuple[str, str, str]] = [
    (t, i, k)
    for t, i, k in _rows(
        """
Maskinfabrik | Fremstilling af maskiner | produktion
Metalvarer | Fremstilling af metalvarer | produktion
Plastindustri | Fremstilling af plastprodukter | produktion
Træindustri | Fremstilling af træprodukter | produktion
Færdigretter | Fremstilling af færdigretter | foedevarer
Bryghus | Bryggerier | foedevarer
Bageri | Bagerier | restaurant
Café | Caféer | restaurant
Restaurant | Restauranter | restaurant
Tømrer & Snedker | Tømrer- og bygningssnedkervirksomhed | byg
VVS | VVS- og blikkenslagervirksomhed | byg
El-Service | Elinstallationsvirksomhed | byg
Murerforretning | Murervirksomhed | byg
Autoværksted | Reparation af motorkøretøjer | vaerksted
Bilpleje | Vaskehaller og bilpleje | vaerksted
IT | Computerprogrammering | kontor
Tegnestue | Arkitektvirksomhed | kontor
Revision | Bogføring og revision | kontor
Cykler | Detailhandel med cykler | detail
Isenkram | Detailhandel med isenkram | detail
Logistik | Godshåndtering | logistik
Lager | Oplagring | logistik
Gårdbutik | Landbrug med gårdbutik | landzone
Events | Arrangering af events | event
Genvinding | Genvinding af sorterede materialer | affald
""",
        3,
    )
]
LEGAL_FORMS = ["ApS", "ApS", "ApS", "A/S", "I/S", "& Søn ApS"]
STREETS: list[tuple[str, str]] = [
    (street, postcode)
    for street, postcode in _rows(
        """
Vestergade | 5000
Overgade | 5000
Kongensgade | 5000
Nørregade | 5000
Middelfartvej | 5200
Rugårdsvej | 5210
Tarupvej | 5210
Ørbækvej | 5220
Blangstedgårdsvej | 5220
Niels Bohrs Allé | 5230
Stærmosegårdsvej | 5230
Ejbygade | 5240
Korsløkkevej | 5240
Hvidkærvej | 5250
Dalumvej | 5250
Sanderumvej | 5250
Svendborgvej | 5260
Hjallesevej | 5260
Lumbyvej | 5270
""",
        2,
    )
]


def slug(text: str) -> str:
    """An ASCII slug for e-mail addresses: æ→ae, ø→oe, å→aa, legal forms dropped."""
    text = text.lower()
    for old, new in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("&", " ")):
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\b(aps|a/s|i/s|k/s)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


# --- what businesses ask for ----------------------------------------------------------------


@dataclass(frozen=True)
class CaseTemplate:
    """A kind of inquiry: its service types (some optional), descriptions, who asks it."""

    key: str
    kinds: tuple[str, ...]  # business kinds it fits; () = any
    codes: tuple[str, ...]
    optional: tuple[str, ...]
    descriptions: tuple[str, ...]
    weight: int = 10


T = CaseTemplate
TEMPLATES: list[CaseTemplate] = [
    T(
        "aabning",
        ("restaurant",),
        ("etablering", "udeservering"),
        ("arrangement-beredskab", "planforhold"),
        (
            "Vi åbner ny restaurant på {adresse} og vil gerne have udeservering på fortovet fra "
            "sæsonstart. Hvilke tilladelser skal vi have, og kan vi nå det?",
            "Vi overtager lejemålet på {adresse} og indretter café med ca. 40 siddepladser inde og "
            "gerne 16 ude. Vi vil gerne have hjælp til at få styr på det hele på én gang.",
        ),
        12,
    ),
    T(
        "udeservering",
        ("restaurant",),
        ("udeservering",),
        (),
        (
            "Vi vil gerne forny og udvide vores udeservering foran {adresse} med to borde.",
            "Ansøgning om udeservering på fortovet ud for {adresse}, ca. {areal} m².",
        ),
        14,
    ),
    T(
        "produktionshal",
        ("produktion", "foedevarer", "logistik"),
        ("byggetilladelse-industri-lager",),
        ("miljoegodkendelse-bilag-2", "tilslutning-spildevand"),
        (
            "Vi vil opføre en ny produktionshal på ca. {m2} m² ved vores bygninger på {adresse} og "
            "flytte en del af produktionen derud.",
            "Tilbygning på ca. {m2} m² til produktion og lager. Vi vil gerne i gang med byggeriet "
            "inden sommerferien.",
        ),
        12,
    ),
    T(
        "lagerhal",
        ("logistik", "detail", "produktion"),
        ("byggetilladelse-industri-lager",),
        ("raaden-over-vejareal",),
        ("Ny lagerhal på ca. {m2} m² med porte til lastbiler på {adresse}.",),
        8,
    ),
    T(
        "miljoe",
        ("produktion",),
        ("miljoegodkendelse-bilag-2",),
        ("tilslutning-spildevand",),
        (
            "Vi udvider med en ny pulverlakeringslinje og forventer at øge produktionen med ca. "
            "30 %. Vi går ud fra, at det kræver en ny miljøgodkendelse.",
            "Revurdering af vores miljøgodkendelse i forbindelse med ny ovn og nyt afkast.",
        ),
        8,
    ),
    T(
        "ie-anlaeg",
        ("foedevarer", "affald"),
        ("miljoegodkendelse-bilag-1",),
        ("tilslutning-spildevand", "byggetilladelse-industri-lager"),
        (
            "Vi vil øge kapaciteten på anlægget på {adresse} over 75 tons om dagen og skal derfor "
            "have en ny miljøgodkendelse.",
        ),
        4,
    ),
    T(
        "kontorhus",
        ("kontor",),
        ("byggetilladelse-etagebyggeri-erhverv",),
        ("planforhold",),
        ("Vi planlægger et nyt kontorhus i fire etager på ca. {m2} m² til os selv og lejere.",),
        5,
    ),
    T(
        "overdaekning",
        ("restaurant", "detail", "vaerksted", "kontor", "logistik", "byg"),
        ("byggetilladelse-simpel",),
        (),
        (
            "Vi vil opføre en overdækket cykelparkering og et skur til affaldscontainere på ca. "
            "{areal} m² på {adresse}.",
            "Overdækning af varegården på ca. {areal} m², så vi kan læsse af i tørvejr.",
        ),
        8,
    ),
    T(
        "vaerksted",
        ("vaerksted",),
        ("etablering", "anmeldelse-vaerksted"),
        ("tilslutning-spildevand",),
        (
            "Vi flytter vores værksted til nye lokaler på {adresse} og vil gerne vide, hvad vi skal "
            "anmelde, før vi åbner.",
        ),
        8,
    ),
    T(
        "vaskehal",
        ("vaerksted",),
        ("anmeldelse-vaerksted", "tilslutning-spildevand"),
        (),
        ("Vi vil etablere en vaskehal med to spor på {adresse}.",),
        5,
    ),
    T(
        "byggeplads",
        ("byg",),
        ("raaden-over-vejareal",),
        ("gravetilladelse",),
        (
            "Vi skal renovere facaden på {adresse} og skal bruge stillads på fortovet i ca. seks "
            "uger.",
            "Container og skurvogn på vejen ud for {adresse} under ombygning af butikken.",
        ),
        14,
    ),
    T(
        "gravning",
        ("byg",),
        ("gravetilladelse",),
        (),
        ("Vi skal lægge ny kloakstikledning ind til {adresse} og grave i fortovet.",),
        8,
    ),
    T(
        "arrangement",
        ("event", "restaurant"),
        ("arrangement-beredskab",),
        ("raaden-over-vejareal",),
        (
            "Vi holder koncert og gadefest for ca. {personer} gæster og vil gerne have godkendt "
            "opstillingen og flugtvejene.",
        ),
        6,
    ),
    T(
        "landzone",
        ("landzone",),
        ("landzonetilladelse",),
        ("byggetilladelse-simpel",),
        ("Vi vil indrette gårdbutik og lille værksted i den tidligere kostald på {adresse}.",),
        6,
    ),
    T(
        "raadgivning",
        (),
        ("afklaringsmoede",),
        ("planforhold",),
        (
            "Vi overvejer at flytte virksomheden og vil gerne høre, hvilke krav vi skal være "
            "opmærksomme på, før vi skriver under på et lejemål.",
            "Vi vokser og mangler plads. Kan vi bygge til, eller skal vi flytte? Vi vil gerne have "
            "et møde med jer.",
        ),
        7,
    ),
    T(
        "nystart",
        ("kontor", "detail", "produktion"),
        ("etablering",),
        ("planforhold",),
        (
            "Vi starter ny virksomhed på {adresse} og vil gerne vide, om der er tilladelser, vi skal "
            "søge.",
        ),
        6,
    ),
]

DECISIONS: dict[str, tuple[str, ...]] = {
    "etablering": (
        "Samlet overblik over tilladelser og krav sendt; virksomheden kan starte som planlagt.",
        "Afklaret: ingen tilladelser ud over de søgte; vejledning om affald og skilte givet.",
    ),
    "planforhold": (
        "Aktiviteten er i overensstemmelse med lokalplanen.",
        "Aktiviteten kræver dispensation fra lokalplanen; vejledning om ansøgning givet.",
    ),
    "arrangement-beredskab": ("Arrangementet er godkendt med vilkår om brandvagt og flugtveje.",),
    "byggetilladelse-industri-lager": (
        "Byggetilladelse meddelt.",
        "Byggetilladelse meddelt med vilkår om afledning af regnvand.",
    ),
    "byggetilladelse-simpel": ("Byggetilladelse meddelt.",),
    "byggetilladelse-etagebyggeri-erhverv": (
        "Byggetilladelse meddelt; etapetilladelse til fundament givet først.",
        "Byggetilladelse meddelt.",
    ),
    "landzonetilladelse": ("Landzonetilladelse meddelt; klagefristen er fire uger.",),
    "miljoegodkendelse-bilag-2": (
        "Miljøgodkendelse meddelt med vilkår om støj, luftafkast og egenkontrol.",
    ),
    "miljoegodkendelse-bilag-1": ("Miljøgodkendelse meddelt med vilkår efter BAT-konklusionerne.",),
    "anmeldelse-vaerksted": (
        "Anmeldelsen er godkendt med standardvilkår; virksomheden kan gå i gang.",
    ),
    "tilslutning-spildevand": (
        "Tilslutningstilladelse meddelt med krav om olieudskiller og årlig prøvetagning.",
    ),
    "udeservering": ("Tilladelse til udeservering meddelt for sæsonen.",),
    "gravetilladelse": ("Gravetilladelse meddelt; retablering efter kommunens regulativ.",),
    "raaden-over-vejareal": ("Tilladelse til råden over vejareal meddelt med afmærkningsplan.",),
    "afklaringsmoede": ("Afklaringsmøde holdt med byggeri, miljø og plan; referat sendt.",),
}

WITHDRAW_REASONS = [
    "Virksomheden har valgt en anden placering.",
    "Projektet er udskudt på ubestemt tid.",
    "Henvendelsen var sendt to gange.",
    "Det viste sig, at aktiviteten ikke kræver tilladelse.",
    "Finansieringen faldt på plads for sent; vi søger igen til næste år.",
]

SCREENING_NOTES = [
    "",
    "",
    "",
    "Talt med virksomheden i telefon.",
    "Byggeri og miljø koordinerer; fælles besigtigelse aftales.",
    "Virksomheden ønsker et opstartsmøde.",
]

DRIFTSTIDER = [
    "Hverdage kl. 6–22",
    "Hverdage kl. 7–16",
    "Døgndrift",
    "Hverdage kl. 6–14, lørdag 7–12",
]
MATERIAL_TEXT = [
    "Vaskevand fra rengøring af produktionsudstyr; passerer sandfang og olieudskiller.",
    "Kølevand og vaskevand med rester af fedt; fedtudskiller er installeret.",
    "Processpildevand med lavt indhold af metaller; renses i eget anlæg før afledning.",
]


def answer_value(
    key: str,
    value_type: str,
    choices: list[str],
    rng: random.Random,
    *,
    address: str,
    industry: str,
    today: dt.date,
) -> Any:
    """A plausible answer to one field requirement (in the form the API stores it)."""
    if key == "matrikel":
        return f"{rng.randint(1, 60)}{rng.choice('abcdefghkm')} {rng.choice(EJERLAV)}"
    if key == "adresse":
        return address
    if key == "branche":
        return industry
    if key == "projektbeskrivelse":
        return "Tidligere kostald på ca. 300 m², ikke brugt til landbrug siden 2015."
    if key == "driftstid":
        return rng.choice(DRIFTSTIDER)
    if key == "spildevandsstoffer":
        return rng.choice(MATERIAL_TEXT)
    if value_type == "choice":
        return rng.choice(choices)
    if value_type == "boolean":
        return rng.random() < 0.6
    if value_type == "date":
        ahead = {"ibrugtagning": (180, 540), "periode-slut": (40, 90)}.get(key, (14, 120))
        return (today + dt.timedelta(days=rng.randint(*ahead))).isoformat()
    if value_type == "number":
        ranges = {
            "ansatte": (1, 60, 1),
            "etageareal": (300, 6000, 50),
            "bebygget-areal": (10, 120, 5),
            "antal-etager": (2, 6, 1),
            "spildevandsmaengde": (100, 20000, 100),
            "areal": (6, 60, 2),
            "antal-personer": (150, 2500, 50),
        }
        low, high, step = ranges.get(key, (1, 100, 1))
        return rng.randrange(low, high + 1, step)
    return "Se vedlagte beskrivelse."


def describe(template: CaseTemplate, rng: random.Random, address: str) -> str:
    return rng.choice(template.descriptions).format(
        adresse=address,
        m2=rng.randrange(400, 4000, 100),
        areal=rng.randrange(8, 60, 2),
        personer=rng.randrange(200, 2000, 100),
    )


def decision_summary(codes: list[str], rng: random.Random) -> str:
    return " ".join(rng.choice(DECISIONS.get(code, ("Svar givet.",))) for code in codes)

"""The promise dashboard (issue 7) as tables: one description of every figure, from which
the page, its charts and its CSV exports are all made, so they cannot disagree.

Longer than ~600 lines on purpose: the tiles and the tables describe the same figures, and
reading them side by side is how they are kept in agreement.

Each table is a list of rows of :class:`Cell`; a cell that is a figure links to the cases
behind it (``measures.selectors.cases_behind`` through the key the selectors give every
figure). Shares always carry their n; a share of nothing is "–", never 0 %.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from erhvervskontakt.cases.models import CaseStatus, Deliverable
from erhvervskontakt.measures.aggregates import percent
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.models import Kpi
from erhvervskontakt.measures.selectors import AGE_BUCKETS, Dashboard, Days, Share, Tally
from erhvervskontakt.measures.trends import MonthShare, Trends
from erhvervskontakt.web import charts

if TYPE_CHECKING:
    from erhvervskontakt.inspections.selectors import InspectionFigures

Link = Callable[[str], str]  # a figure's key → the URL of its cases


@dataclasses.dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    value: Any = None  # what the CSV gets (a number where the cell is one); text if None
    header: bool = False  # the row's header cell (th scope=row)

    @property
    def csv(self) -> Any:
        return self.text if self.value is None else self.value


@dataclasses.dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart: SafeString | None = None
    lead: str = ""  # a headline sentence above the table


@dataclasses.dataclass(frozen=True)
class Satisfaction:
    """What the surveys app says for the same filter."""

    questions: Sequence[Any]  # surveys.selectors.QuestionResult
    by_department: Sequence[Any]  # surveys.selectors.BreakdownRow
    by_service_type: Sequence[Any]
    by_coordinator: Sequence[Any]
    invited: int
    responded: int
    # the overall question in the surveys after an inspection visit
    inspection_positive: int = 0
    inspection_answered: int = 0
    # the overall question month by month, the last 12 months (measures.trends.months_up_to)
    trend: tuple[MonthShare, ...] = ()


def share_text(part: int, n: int) -> str:
    value = percent(part, n)
    if value is None:
        return _("– (n = 0)")
    return _("%(pct)s %% (%(part)s af %(n)s)") % {"pct": value, "part": part, "n": n}


def days_text(value: float | None) -> str:
    if value is None:
        return "–"
    return number_format(round(value, 1), decimal_pos=1 if value % 1 else 0)


def _tally(tally: Tally, link: Link) -> Cell:
    return Cell(str(tally.count), link(tally.key), tally.count)


def _share(share: Share, link: Link) -> Cell:
    return Cell(share_text(share.part, share.n), link(share.of), share.percent)


def _n(share: Share, link: Link) -> Cell:
    return Cell(str(share.n), link(share.of), share.n)


def _days(days: Days, which: str) -> Cell:
    value = days.median if which == "median" else days.p80
    return Cell(days_text(value), "", value)


def _label(text: str) -> Cell:
    return Cell(text, header=True)


STATUS_LABELS = {status.value: status.label for status in CaseStatus}


VERDICT_MET, VERDICT_BELOW, VERDICT_NONE = "met", "below", "none"


@dataclasses.dataclass(frozen=True)
class Tile:
    """A KPI tile: the figure, the municipality's target for it (if it has one), a verdict in
    plain words and the last 12 months as a sparkline (its text alternative inside)."""

    title: str
    value: str
    detail: str
    href: str = ""
    target: str = ""  # "Mål: 95 %", or "" (no target for this figure)
    verdict: str = ""  # "Målet er nået" / "Under målet" / "Ingen afgjorte sager …"
    verdict_level: str = VERDICT_NONE  # met, below, none: the tile's marker
    chart: SafeString | None = None
    months: str = ""  # the months the chart covers, in words


def verdict(share_percent: int | None, target: int) -> tuple[str, str]:
    """(words, level) for a share against its target: at or above is met."""
    if share_percent is None:
        return _("Ingen afgjorte sager i perioden"), VERDICT_NONE
    if share_percent >= target:
        return _("Målet er nået"), VERDICT_MET
    return _("Under målet"), VERDICT_BELOW


def _month_label(month: Any) -> str:
    """The month as "okt 2026": the short month as the sentence writes it (lower case in Danish)."""
    return date_format(month, "b Y")


def _share_trend(title: str, points: Sequence[MonthShare], target: int | None) -> SafeString:
    return charts.sparkline(
        [charts.Bar(_month_label(p.month), p.percent, share_text(p.part, p.n)) for p in points],
        title=title,
        description=_("Måned for måned: %(months)s.")
        % {
            "months": "; ".join(
                f"{_month_label(p.month)}: {share_text(p.part, p.n)}" for p in points
            )
        },
        target=target,
    )


def _months_text(points: Sequence[Any]) -> str:
    if not points:
        return ""
    return _("%(first)s – %(last)s") % {
        "first": _month_label(points[0].month),
        "last": _month_label(points[-1].month),
    }


def _share_tile(
    title: str, part: int, n: int, target: int, points: Sequence[MonthShare], **extra: Any
) -> Tile:
    words, level = verdict(percent(part, n), target)
    return Tile(
        title=title,
        value=share_text(part, n),
        target=_("Mål: %(target)s %%") % {"target": target},
        verdict=words,
        verdict_level=level,
        chart=_share_trend(
            _("%(title)s, de seneste 12 måneder") % {"title": title}, points, target
        ),
        months=_months_text(points),
        **extra,
    )


def tiles(
    d: Dashboard,
    satisfaction: Satisfaction,
    link: Link,
    targets: Mapping[str, int],
    trends: Trends,
) -> list[Tile]:
    """The KPI tiles at the top: the headline figure, its n, its target and verdict, its
    last 12 months, and where it leads."""
    overall = next((q for q in satisfaction.questions if q.key == "overall"), None)
    met = sum(row.met.count for row in d.service_targets)
    decided = met + sum(row.missed.count for row in d.service_targets)
    pending = d.answers.pending.count
    late_deliverables = d.backlog.overdue_deliverables[Deliverable.Party.BUSINESS].count
    days = trends.answer_days
    return [
        _share_tile(
            _("Screenet inden for fristen"),
            d.screening.kept.part,
            d.screening.kept.n,
            targets[Kpi.SCREENING],
            trends.screening,
            detail=_("median %(days)s arbejdsdage til screening")
            % {"days": days_text(d.screening.working_days.median)},
            href=link(d.screening.kept.of),
        ),
        _share_tile(
            _("Svar senest den lovede dato"),
            d.answers.kept.part,
            d.answers.kept.n,
            targets[Kpi.ANSWERS],
            trends.answers,
            detail=ngettext(
                "%(open)s åben sag er endnu ikke besvaret",
                "%(open)s åbne sager er endnu ikke besvaret",
                pending,
            )
            % {"open": pending},
            href=link(d.answers.kept.of),
        ),
        _share_tile(
            _("Nationale servicemål overholdt"),
            met,
            decided,
            targets[Kpi.SERVICE_TARGETS],
            trends.service_targets,
            detail=_("alle ydelser med et nationalt servicemål"),
            href="#table-service_targets",
        ),
        Tile(
            title=_("Arbejdsdage fra screening til svar"),
            value=_("median %(median)s · 80 %% inden %(p80)s")
            % {
                "median": days_text(d.answers.working_days.median),
                "p80": days_text(d.answers.working_days.p80),
            },
            detail=_("n = %(n)s besvarede") % {"n": d.answers.working_days.n},
            href=link(d.answers.working_days.key),
            target=_("Intet mål: løftet er svardatoen, sagen fik ved screeningen"),
            chart=charts.sparkline(
                [charts.Bar(_month_label(p.month), p.median, days_text(p.median)) for p in days],
                title=_("Median arbejdsdage fra screening til svar, de seneste 12 måneder"),
                description=_("Måned for måned: %(months)s.")
                % {
                    "months": "; ".join(
                        f"{_month_label(p.month)}: {days_text(p.median)} (n = {p.n})" for p in days
                    )
                },
                maximum=None,
            ),
            months=_months_text(days),
        ),
        _share_tile(
            _("Tilfredse virksomheder"),
            overall.positive if overall else 0,
            overall.answered if overall else 0,
            targets[Kpi.SATISFACTION],
            satisfaction.trend,
            detail=_("svarprocent %(rate)s")
            % {"rate": share_text(satisfaction.responded, satisfaction.invited)},
            href=link("satisfaction.overall.answered") if overall else "",
        ),
        Tile(
            title=_("Åbne sager nu"),
            value=str(d.backlog.open.count),
            detail=ngettext(
                "%(n)s leverance fra virksomheden er over fristen",
                "%(n)s leverancer fra virksomheden er over fristen",
                late_deliverables,
            )
            % {"n": late_deliverables},
            href=link(d.backlog.open.key),
            target=_("Intet mål: et øjebliksbillede, perioden gælder ikke"),
            chart=charts.sparkline(
                [charts.Bar(_month_label(p.month), p.n, str(p.n)) for p in trends.open_cases],
                title=_("Åbne sager ved hver måneds udgang, de seneste 12 måneder"),
                description=_("Måned for måned: %(months)s.")
                % {
                    "months": "; ".join(
                        f"{_month_label(p.month)}: {p.n}" for p in trends.open_cases
                    )
                },
                maximum=None,
            )
            if trends.open_cases
            else None,
            months=_months_text(trends.open_cases),
        ),
    ]


def tables(d: Dashboard, satisfaction: Satisfaction, link: Link) -> list[Table]:
    s, a = d.screening, d.answers
    screening = Table(
        "screening",
        _("Screening inden for fristen"),
        [_("Henvendelser med screeningsfrist i perioden"), _("Antal")],
        [
            [_label(_("Med frist i perioden")), _tally(s.due, link)],
            [_label(_("Screenet til tiden")), _tally(s.on_time, link)],
            [
                _label(_("Screenet for sent eller ikke screenet efter fristen")),
                _tally(s.late, link),
            ],
            [_label(_("Endnu ikke screenet, fristen ikke nået")), _tally(s.pending, link)],
            [_label(_("Andel til tiden (af afgjorte)")), _share(s.kept, link)],
            [_label(_("Median arbejdsdage til screening")), _days(s.working_days, "median")],
        ],
        note=_(
            "Perioden gælder screeningsfristen. Ikke-screenede efter fristen tæller som for sent."
        ),
    )
    screening.chart = charts.horizontal_bars(
        [charts.Bar(_("Screenet til tiden"), s.kept.percent, share_text(s.kept.part, s.kept.n))],
        title=_("Andel screenet til tiden"),
        description=share_text(s.kept.part, s.kept.n),
        target=100,
        target_label="100 %",
    )
    answers = Table(
        "answers",
        _("Svar i forhold til den lovede dato"),
        [_("Sager med lovet svardato i perioden"), _("Antal")],
        [
            [_label(_("Med lovet svardato i perioden")), _tally(a.total, link)],
            [_label(_("Besvaret senest den lovede dato")), _tally(a.on_time, link)],
            [_label(_("Besvaret efter den lovede dato")), _tally(a.answered_late, link)],
            [
                _label(_("Åbne og over den lovede dato (tæller som for sent)")),
                _tally(a.open_late, link),
            ],
            [_label(_("Åbne, endnu ikke besvaret")), _tally(a.pending, link)],
            [_label(_("Andel til tiden (af besvarede og for sene)")), _share(a.kept, link)],
            [
                _label(_("Median arbejdsdage fra screening til svar")),
                _days(a.working_days, "median"),
            ],
            [
                _label(_("80. percentil arbejdsdage fra screening til svar")),
                _days(a.working_days, "p80"),
            ],
        ],
        note=_(
            "Løftet er svardatoen fra screeningen, kun flyttet med de arbejdsdage, sagen ventede "
            "på virksomheden."
        ),
    )
    bucket_labels = {
        "early5": _("≥ 5 før"),
        "early": _("1–4 før"),
        "exact": _("på dagen"),
        "late": _("1–4 efter"),
        "late5": _("≥ 5 efter"),
    }
    deviation = Table(
        "deviation",
        _("Hvor meget ramte svardatoen ved siden af?"),
        [_("Arbejdsdage i forhold til lovet dato"), _("Besvarede sager")],
        [[_label(bucket_labels[b.code]), _tally(b.tally, link)] for b in a.deviation],
    )
    deviation.chart = charts.columns(
        [charts.Bar(bucket_labels[b.code], b.tally.count, str(b.tally.count)) for b in a.deviation],
        title=_("Fordeling af afvigelse fra lovet svardato"),
        description=", ".join(f"{bucket_labels[b.code]}: {b.tally.count}" for b in a.deviation),
        highlight=bucket_labels["exact"],
    )
    targets = Table(
        "service_targets",
        _("Nationale servicemål"),
        [
            _("Ydelse"),
            _("Mål (kalenderdage)"),
            _("Overholdt"),
            _("Ikke overholdt"),
            _("Heraf åbne"),
            _("Andel"),
        ],
        [
            [
                _label(row.service_type.name),
                Cell(
                    str(row.service_type.service_target_days),
                    "",
                    row.service_type.service_target_days,
                ),
                _tally(row.met, link),
                _tally(row.missed, link),
                _tally(row.open_missed, link),
                _share(row.share, link),
            ]
            for row in d.service_targets
        ],
        note=_(
            "Kalenderdage fra sagen er fuldt oplyst til afgørelse, ventetid på virksomheden "
            "fratrukket; besvaret i perioden, og åbne sager der allerede har overskredet målet."
        ),
    )
    targets.chart = charts.horizontal_bars(
        [
            charts.Bar(
                row.service_type.name, row.share.percent, share_text(row.share.part, row.share.n)
            )
            for row in d.service_targets
        ],
        title=_("Andel inden for det nationale servicemål pr. ydelse"),
        description="; ".join(
            f"{row.service_type.name}: {share_text(row.share.part, row.share.n)}"
            for row in d.service_targets
        ),
    )
    backlog = Table(
        "backlog",
        _("Åbne sager nu efter status og alder"),
        [_("Status"), _("I alt")] + [_("%(code)s dage") % {"code": b.code} for b in AGE_BUCKETS],
        [
            [_label(str(STATUS_LABELS.get(row.status, row.status))), _tally(row.total, link)]
            + [_tally(t, link) for t in row.by_age]
            for row in d.backlog.by_status
        ],
        note=_("Alder i kalenderdage siden modtagelsen. Perioden gælder ikke her."),
    )
    party_labels: dict[str, str] = {
        Deliverable.Party.BUSINESS: _("Virksomheden"),
        Deliverable.Party.MUNICIPALITY: _("Kommunen"),
    }
    overdue = Table(
        "overdue_deliverables",
        _("Leverancer over fristen (åbne sager)"),
        [_("Part"), _("Leverancer"), _("Sager")],
        [
            [
                _label(str(party_labels.get(party, party))),
                _tally(tally, link),
                Cell(
                    str(d.backlog.overdue_deliverable_cases[party]),
                    "",
                    d.backlog.overdue_deliverable_cases[party],
                ),
            ]
            for party, tally in d.backlog.overdue_deliverables.items()
        ],
    )
    workload = Table(
        "workload",
        _("Tovholdernes åbne sager"),
        [_("Tovholder"), _("Åbne sager"), _("Heraf overskredne")],
        [
            [
                _label(
                    row.coordinator.display_name if row.coordinator else _("Ikke screenet endnu")
                ),
                _tally(row.open, link),
                _tally(row.overdue, link),
            ]
            for row in d.backlog.workload
        ],
    )
    workload.chart = charts.horizontal_bars(
        [
            charts.Bar(
                row.coordinator.display_name if row.coordinator else _("Ikke screenet endnu"),
                row.open.count,
                str(row.open.count),
            )
            for row in d.backlog.workload
        ],
        title=_("Åbne sager pr. tovholder"),
        description="; ".join(
            f"{row.coordinator.display_name if row.coordinator else _('Ikke screenet endnu')}: "
            f"{row.open.count}"
            for row in d.backlog.workload
        ),
        maximum=max((row.open.count for row in d.backlog.workload), default=0),
    )
    return [
        screening,
        answers,
        deviation,
        targets,
        *satisfaction_tables(satisfaction, link),
        backlog,
        overdue,
        workload,
    ]


def satisfaction_tables(satisfaction: Satisfaction, link: Callable[..., str]) -> list[Table]:
    """Per question, and the overall question per department, service type and coordinator;
    the counts link to the cases whose answers they count."""
    questions = Table(
        "satisfaction",
        _("Tilfredshed pr. spørgsmål"),
        [_("Spørgsmål"), _("Svar (n)"), _("Positive"), _("Andel positive")],
        [
            [
                _label(q.text),
                Cell(str(q.answered), link(f"satisfaction.{q.key}.answered"), q.answered),
                Cell(str(q.positive), link(f"satisfaction.{q.key}.positive"), q.positive),
                Cell(share_text(q.positive, q.answered), "", percent(q.positive, q.answered)),
            ]
            for q in satisfaction.questions
        ],
        note=_("Svarprocent: %(rate)s.")
        % {"rate": share_text(satisfaction.responded, satisfaction.invited)},
    )
    questions.chart = charts.horizontal_bars(
        [
            charts.Bar(q.text, percent(q.positive, q.answered), share_text(q.positive, q.answered))
            for q in satisfaction.questions
        ],
        title=_("Andel positive svar pr. spørgsmål"),
        description="; ".join(
            f"{q.text}: {share_text(q.positive, q.answered)}" for q in satisfaction.questions
        ),
    )
    made = [questions]
    breakdowns = (
        (
            "department",
            _("Tilfredshed (samlet) pr. afdeling"),
            satisfaction.by_department,
            "afdeling",
        ),
        (
            "service_type",
            _("Tilfredshed (samlet) pr. ydelse"),
            satisfaction.by_service_type,
            "ydelse",
        ),
        (
            "coordinator",
            _("Tilfredshed (samlet) pr. tovholder"),
            satisfaction.by_coordinator,
            "tovholder",
        ),
    )
    for slug, title, rows, parameter in breakdowns:

        def row_link(row: Any, outcome: str, parameter: str = parameter) -> str:
            if not row.code:
                return ""
            return link(f"satisfaction.overall.{outcome}", **{parameter: row.code})

        made.append(
            Table(
                f"satisfaction_{slug}",
                title,
                ["", _("Svar (n)"), _("Positive"), _("Andel positive")],
                [
                    [
                        _label(row.label),
                        Cell(str(row.n), row_link(row, "answered"), row.n),
                        Cell(str(row.positive), row_link(row, "positive"), row.positive),
                        Cell(share_text(row.positive, row.n), "", percent(row.positive, row.n)),
                    ]
                    for row in rows
                ],
            )
        )
    return made


def inspection_satisfaction_text(positive: int, n: int) -> str:
    """The article's sentence: "x % of the businesses were positive about their
    environmental inspection (n = …)"."""
    value = percent(positive, n)
    if value is None:
        return _("Ingen virksomheder har endnu svaret på tilfredshedsmålingen efter miljøtilsyn.")
    return _("%(pct)s %% af virksomhederne var positive over deres miljøtilsyn (n = %(n)s).") % {
        "pct": value,
        "n": n,
    }


def inspection_table(
    figures: InspectionFigures, satisfaction: Satisfaction, visits: Callable[[str], str]
) -> Table:
    """Environmental inspection (miljøtilsyn): the report within 2 months and its publication
    within 4 of the visits carried out in the period, what is overdue now (linked to the
    inspectors' list of visits, ``visits(state)``), and the satisfaction after a visit."""
    fig = figures
    positive, answered = satisfaction.inspection_positive, satisfaction.inspection_answered
    table = Table(
        "inspections",
        _("Miljøtilsyn: rapporter til tiden"),
        [_("Tilsynsbesøg udført i perioden"), _("Antal")],
        [
            [_label(_("Tilsyn udført i perioden")), Cell(str(fig.visited), "", fig.visited)],
            [
                _label(_("Rapport sendt inden for 2 måneder (af afgjorte)")),
                Cell(
                    share_text(fig.report_on_time, fig.report_decided),
                    "",
                    percent(fig.report_on_time, fig.report_decided),
                ),
            ],
            [
                _label(_("Rapport sendt for sent eller ikke sendt efter fristen")),
                Cell(str(fig.report_late), "", fig.report_late),
            ],
            [
                _label(_("Rapport endnu ikke sendt, fristen ikke nået")),
                Cell(str(fig.report_pending), "", fig.report_pending),
            ],
            [
                _label(_("Offentliggjort inden for 4 måneder (af afgjorte)")),
                Cell(
                    share_text(fig.publish_on_time, fig.publish_decided),
                    "",
                    percent(fig.publish_on_time, fig.publish_decided),
                ),
            ],
            [
                _label(_("Offentliggjort for sent eller ikke offentliggjort efter fristen")),
                Cell(str(fig.publish_late), "", fig.publish_late),
            ],
            [
                _label(_("Rapporter over fristen nu")),
                Cell(str(fig.reports_overdue_now), visits("report_due"), fig.reports_overdue_now),
            ],
            [
                _label(_("Offentliggørelser over fristen nu")),
                Cell(
                    str(fig.publications_overdue_now),
                    visits("unpublished"),
                    fig.publications_overdue_now,
                ),
            ],
            [
                _label(_("Positive over deres miljøtilsyn")),
                Cell(share_text(positive, answered), "", percent(positive, answered)),
            ],
        ],
        note=_(
            "Perioden gælder tilsynsdatoen. Rapporten skal til virksomheden inden for 2 måneder "
            "og offentliggøres inden for 4; en frist, der er passeret uden, tæller som for sent. "
            "»Over fristen nu« gælder alle tilsyn, ikke kun perioden."
        ),
        lead=inspection_satisfaction_text(positive, answered),
    )
    table.chart = charts.horizontal_bars(
        [
            charts.Bar(
                _("Rapport inden for 2 måneder"),
                percent(fig.report_on_time, fig.report_decided),
                share_text(fig.report_on_time, fig.report_decided),
            ),
            charts.Bar(
                _("Offentliggjort inden for 4 måneder"),
                percent(fig.publish_on_time, fig.publish_decided),
                share_text(fig.publish_on_time, fig.publish_decided),
            ),
            charts.Bar(
                _("Positive over miljøtilsynet"),
                percent(positive, answered),
                share_text(positive, answered),
            ),
        ],
        title=_("Miljøtilsyn: andel til tiden og tilfredshed"),
        description="; ".join(
            [
                share_text(fig.report_on_time, fig.report_decided),
                share_text(fig.publish_on_time, fig.publish_decided),
                share_text(positive, answered),
            ]
        ),
        target=100,
        target_label="100 %",
    )
    return table


__all__ = [
    "Cell",
    "MeasureFilter",
    "Satisfaction",
    "Table",
    "Tile",
    "inspection_table",
    "tables",
    "tiles",
]

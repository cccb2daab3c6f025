"""The promise dashboard's accuracy tables (issue 17): how well the answer promises held, per
service type, month by month (with the chart of promised against actual working days) and
per basis — the same ``Table``/``Cell`` description as the other tables (``dashboard_tables``),
so the page and its CSV cannot disagree; every count links to its cases."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from erhvervskontakt.measures.accuracy import Accuracy, PromiseAccuracy, month_end
from erhvervskontakt.web import charts
from erhvervskontakt.web.labels import PROMISE_BASES, service_type_name

from .dashboard_tables import Cell, Table, _month_label, days_text, share_text

Link = Callable[..., str]  # a figure's key (and narrower filter parameters) → its cases


def interval_text(accuracy: Accuracy) -> str:
    if accuracy.low_percent is None:
        return "–"
    return _("%(low)s–%(high)s %%") % {
        "low": accuracy.low_percent,
        "high": accuracy.high_percent,
    }


def ratio_text(value: float | None) -> str:
    return "–" if value is None else number_format(value, decimal_pos=2)


def headline(accuracy: Accuracy, confidence: float) -> str:
    """One sentence: the hit rate, its interval and n, against what was promised."""
    meant = round(100 * confidence)
    if not accuracy.kept.n:
        return _(
            "Ingen lovede svardatoer er nået i perioden endnu (løftet er, at %(meant)s %% holder)."
        ) % {"meant": meant}
    return _(
        "%(pct)s %% af %(n)s lovede svardatoer, der er nået, blev holdt (95 %%-interval "
        "%(low)s–%(high)s %%). Løftet er, at %(meant)s %% holder."
    ) % {
        "pct": accuracy.kept.percent,
        "n": number_format(accuracy.kept.n, force_grouping=True),
        "low": accuracy.low_percent,
        "high": accuracy.high_percent,
        "meant": meant,
    }


def _cells(accuracy: Accuracy, link: Link | None, **narrower: str) -> list[Cell]:
    """Matured, kept, missed (each linking to its cases, when ``link``) and the interval."""
    kept = accuracy.kept

    def href(key: str) -> str:
        return link(key, **narrower) if link else ""

    return [
        Cell(str(kept.n), href("accuracy.matured"), kept.n),
        Cell(share_text(kept.part, kept.n), href("accuracy.kept"), kept.percent),
        Cell(str(accuracy.missed), href("accuracy.missed"), accuracy.missed),
        Cell(interval_text(accuracy), "", accuracy.low_percent),
    ]


def _figures(accuracy: Accuracy) -> list[Cell]:
    return [
        Cell(days_text(accuracy.slack.median), "", accuracy.slack.median),
        Cell(days_text(accuracy.lateness.median), "", accuracy.lateness.median),
        Cell(ratio_text(accuracy.promise_per_median), "", accuracy.promise_per_median),
    ]


def _columns(first: str) -> list[str]:
    return [
        first,
        _("Nåede løfter"),
        _("Holdt"),
        _("Ikke holdt"),
        _("95 %-interval"),
        _("Median dage i overskud (holdte)"),
        _("Median dage for sent (ikke holdte)"),
        _("Løfte ÷ median"),
    ]


def _note() -> str:
    return _(
        "Altid målt mod det oprindelige løfte fra screeningen, kun flyttet med de arbejdsdage, sagen "
        "ventede på virksomheden, og kun når datoen er nået: besvaret til tiden eller ej. "
        "Arbejdsdage. "
        "Løfte ÷ median: det lovede antal arbejdsdage over det faktiske, medianer over de "
        "besvarede."
    )


def accuracy_tables(accuracy: PromiseAccuracy, link: Link) -> list[Table]:
    f = accuracy.filter
    by_type = Table(
        "accuracy",
        _("Holder de lovede svardatoer?"),
        _columns(_("Ydelse")),
        [
            [
                Cell(service_type_name(row.service_type), header=True),
                *_cells(row.accuracy, link, ydelse=row.service_type.code),
                *_figures(row.accuracy),
            ]
            for row in accuracy.by_service_type
        ],
        note=_note(),
        lead=headline(accuracy.overall, accuracy.confidence),
    )
    by_type.chart = charts.horizontal_bars(
        [
            charts.Bar(
                service_type_name(row.service_type),
                row.accuracy.kept.percent,
                f"{share_text(row.accuracy.kept.part, row.accuracy.kept.n)}, "
                f"{interval_text(row.accuracy)}",
            )
            for row in accuracy.by_service_type
        ],
        title=_("Andel holdte svardatoer pr. ydelse"),
        description="; ".join(
            f"{service_type_name(row.service_type)}: "
            f"{share_text(row.accuracy.kept.part, row.accuracy.kept.n)}"
            for row in accuracy.by_service_type
        ),
        target=round(100 * accuracy.confidence),
        target_label=f"{round(100 * accuracy.confidence)} %",
    )
    months = list(accuracy.by_month)
    by_month = Table(
        "accuracy_months",
        _("Lovet og faktisk svartid måned for måned"),
        [
            *_columns(_("Måned (lovet svardato)"))[:5],
            _("Median lovet (arbejdsdage)"),
            _("Median faktisk (arbejdsdage)"),
            _("Løfte ÷ median"),
        ],
        [
            [
                Cell(_month_label(m.month), header=True),
                *_cells(
                    m.accuracy,
                    link,
                    fra=max(m.month, f.start).isoformat(),
                    til=min(month_end(m.month), f.end).isoformat(),
                ),
                Cell(days_text(m.accuracy.promised.median), "", m.accuracy.promised.median),
                Cell(days_text(m.accuracy.actual.median), "", m.accuracy.actual.median),
                Cell(
                    ratio_text(m.accuracy.promise_per_median),
                    "",
                    m.accuracy.promise_per_median,
                ),
            ]
            for m in months
        ]
        if accuracy.overall.kept.n
        else [],
        note=_("Måneden for den lovede svardato. Medianer over de besvarede sager."),
    )
    by_month.chart = charts.month_lines(
        charts.month_labels([m.month for m in months]),
        [
            charts.Series(_("Lovet"), [m.accuracy.promised.median for m in months]),
            charts.Series(_("Faktisk"), [m.accuracy.actual.median for m in months], dashed=True),
        ],
        title=_("Lovet og faktisk svartid, median, måned for måned"),
        description="; ".join(
            _("%(month)s: lovet %(promised)s, faktisk %(actual)s arbejdsdage")
            % {
                "month": _month_label(m.month),
                "promised": days_text(m.accuracy.promised.median),
                "actual": days_text(m.accuracy.actual.median),
            }
            for m in months
        ),
        unit=_("Arbejdsdage"),
    )
    by_basis = Table(
        "accuracy_basis",
        _("Holdte svardatoer efter, hvad de byggede på"),
        _columns(_("Grundlag"))[:5],
        [
            # No links: the filter has no basis, so a list would show the period's all.
            [Cell(str(PROMISE_BASES[row.basis]), header=True), *_cells(row.accuracy, None)]
            for row in accuracy.by_basis
        ],
        note=_(
            "Lært af ydelsens egne sager eller gruppens, eller det nationale eller faste mål, "
            "hvor historikken var for tynd."
        ),
    )
    return [by_type, by_month, by_basis]

"""The chart of lines over months (promised against actual working days): what it draws, its
gaps, its scale and its text alternative — and that what people typed cannot become markup."""

from __future__ import annotations

import re

import defusedxml.ElementTree as ET

from erhvervskontakt.web.charts import Series, _nice_ceiling, month_lines

SVG = "{http://www.w3.org/2000/svg}"


def chart(**overrides):
    arguments = {
        "months": ["okt. 2026", "nov. 2026", "dec. 2026"],
        "series": [
            Series("Lovet", [10, 12, None]),
            Series("Faktisk", [8, None, 9], dashed=True),
        ],
        "title": "Lovet og faktisk",
        "description": "okt.: lovet 10, faktisk 8",
        "unit": "Arbejdsdage",
    }
    arguments.update(overrides)
    return ET.fromstring(str(month_lines(**arguments)))


def texts(svg) -> list[str]:
    """Every text element's words (a month label's lines joined by a space)."""
    return [" ".join(part for part in t.itertext()) for t in svg.iter(f"{SVG}text")]


def test_a_month_label_of_two_lines_is_two_tspans():
    svg = chart(months=["dec.\n2025", "jan.\n2026", "feb."])

    assert {"dec. 2025", "jan. 2026", "feb."} <= set(texts(svg))


def test_it_is_an_image_with_its_title_and_description():
    svg = chart()

    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Lovet og faktisk"
    assert svg.find(f"{SVG}desc").text == "okt.: lovet 10, faktisk 8"
    labels = texts(svg)
    assert {"okt. 2026", "nov. 2026", "dec. 2026", "Lovet", "Faktisk", "Arbejdsdage"} <= set(labels)


def test_a_month_without_data_is_a_gap_never_zero():
    svg = chart()
    lines = list(svg.iter(f"{SVG}polyline"))

    # Promised: one run of two points; actual: two runs of one point each (a gap in November).
    assert [len(p.get("points").split()) for p in lines] == [2, 1, 1]
    assert [p.get("stroke-dasharray") for p in lines] == [None, "6 4", "6 4"]
    # No point is drawn on the zero line (the bottom of the plot).
    bottom = max(float(line.get("y1")) for line in svg.iter(f"{SVG}line") if line.get("y1"))
    for p in lines:
        for xy in p.get("points").split():
            assert float(xy.split(",")[1]) < bottom


def test_the_scale_is_a_round_number_at_or_above_the_highest_value():
    assert [_nice_ceiling(v) for v in (0.4, 1, 7, 12, 23, 26, 180, 1000)] == [
        1,
        1,
        10,
        20,
        25,
        50,
        200,
        1000,
    ]
    ticks = [t.text for t in chart().iter(f"{SVG}text") if re.fullmatch(r"[\d.]+", t.text or "")]
    assert ticks == ["0", "5", "10", "15", "20"]


def test_what_people_typed_is_text_in_the_picture_not_markup():
    svg = chart(
        months=['<script>alert("x")</script>'],
        series=[Series('Lovet" onload="alert(1)', [3])],
        title="<b>titel</b>",
        description="a & b",
    )

    written = texts(svg)
    assert '<script>alert("x")</script>' in written
    assert 'Lovet" onload="alert(1)' in written
    assert svg.find(f"{SVG}title").text == "<b>titel</b>"
    assert not list(svg.iter(f"{SVG}script"))
    assert all("onload" not in element.attrib for element in svg.iter())


def test_no_months_draws_an_empty_chart():
    svg = chart(months=[], series=[Series("Lovet", [])])

    assert not list(svg.iter(f"{SVG}polyline"))

"""An access request's answer as a file: the lookups of one subject in CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from erhvervskontakt.common.spreadsheet import csv_cell

from .selectors import Lookup, lookup_header


def lookups_csv(lookups: Iterable[Lookup], *, with_staff: bool) -> str:
    """Semicolon-separated with a byte order mark (what Danish Excel opens as is); no cell
    runs as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(lookup_header(with_staff=with_staff))
    for lookup in lookups:
        writer.writerow([csv_cell(cell) for cell in lookup.as_row(with_staff=with_staff)])
    return out.getvalue()


def lookups_json(lookups: Iterable[Lookup], *, with_staff: bool) -> str:
    rows = []
    for lookup in lookups:
        row = {
            "at": lookup.at.isoformat(),
            "use": lookup.use,
            "use_label": lookup.use_label,
            "purpose": lookup.purpose,
            "purpose_label": lookup.purpose_label,
            "case": lookup.case_reference,
        }
        if with_staff:
            row["staff"] = lookup.staff
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)

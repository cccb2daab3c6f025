"""Answer dates that hold: promises learned from the municipality's own history (issue 17).

``survival`` is the Kaplan–Meier product-limit estimator over net working days from screening
to answer, with open cases right-censored at their age; ``promise`` turns a curve into the
promise that holds for a chosen share of cases (90 % by default), for a new case or one
already of some age, and falls back (group, national target, fixed target) where the history
is thin, saying which basis it used. Pure functions on numbers: the table the worker refreshes
and the pages that read it build on these.
"""

"""The personal-data read log (logning af opslag i personoplysninger).

Every use of personal data by staff or an integrator is one append-only row: when, who, what
kind of use, why, and about whom (a case, a business, a person) or with what criterion. The
rows are kept 6 months and then pruned by the sweep; the database itself refuses to change
them or to delete younger ones (``triggers.py``). Interfaces write them through
``web.readlog``; the data subject's access request reads them through ``selectors``.
"""

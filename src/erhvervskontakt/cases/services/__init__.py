"""Writes of cases: intake, screening, material from the business, decision, close, withdraw.

Each service is the only way its change happens. It checks the actor, locks the case row,
validates everything before it writes, and writes the timeline events in the same
transaction, so a refused request changes nothing and an accepted one is fully recorded.

Which module owns what (import a service from its module; this package re-exports nothing):

- ``intake`` — ``inquiry_submit``: the inquiry's checks, its reference, its screening
  deadline, the ``Idempotency-Key``.
- ``drafts`` — the portal's inquiry drafts: ``draft_create``, ``draft_update``,
  ``draft_add_document``, ``draft_submit``.
- ``material`` — material from the business and the clock it pauses: ``case_supply_answers``,
  ``requirement_mark_not_needed``; ``_after_material`` (fully informed, the service-target
  clock) and ``_resume`` (the estimate moved by the days the case waited).
- ``documents`` — ``case_add_document`` (a file checked by its content),
  ``case_add_generated_document`` (one the municipality made, e.g. an inspection report).
- ``screening`` — ``case_screen``; ``case_screen_checked`` with the confirmed plan
  (``PlanLine``).
- ``coordinators`` — choosing the coordinator, the fixed contact person,
  ``case_change_coordinator``.
- ``plan`` — the delivery plan and the answer estimate: ``deliverable_add``,
  ``deliverable_change``, ``deliverable_waive``, ``deliverable_mark_delivered``,
  ``case_set_estimate``.
- ``tasks`` — department tasks: ``task_claim``, ``task_assign``, ``task_complete``,
  ``task_create_follow_up``.
- ``messages`` — ``case_message_post`` (messages and internal notes).
- ``decision`` — the answer: ``case_record_decision``, ``case_record_decision_with_document``,
  who may give it, what is measured of it.
- ``lifecycle`` — ``case_open_by_municipality`` (an inspection visit's case), ``case_close``,
  ``case_withdraw``.
- ``retention`` — the retention rule (GDPR storage limitation): ``cases_anonymise_expired``
  (the contact's personal data in cases ended longer ago than their service types'
  ``retention_years``; every run a ``RetentionRun``), ``retention_run_due`` (the daily
  sweep's check), ``message_mark_personal_data``.
- ``core`` — what they share: ``_event``, ``_lock``, ``_set_status``, ``_save``, ``_fmt``,
  ``_collect``, the access checks, and the workbench's version check (``case_update_checked``,
  ``STALE_CASE``, ``STALE_TASK``). It imports none of the others.
"""

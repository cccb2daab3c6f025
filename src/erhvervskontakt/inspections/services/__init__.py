"""Writes for environmental inspection: the register, risk assessments, inspections done and
the annual plan. Every change is logged on the business's history (``BusinessEvent``) in the
same transaction; plan adjustments also in ``PlanAdjustment`` with the inspector's reason.
Visits — inspections carried out as a dialogue with the business — are cases of the business
and write their timeline events on the case (see the "visits" section). Nothing is deleted.

Which module owns what (import a service from its module; this package re-exports nothing):

- ``register`` — the register and the risk assessment: ``register_entry_add``,
  ``clean_assessment``, ``risk_assessment_record`` (``PARAMETER_NAMES``), and
  ``inspection_record`` (an inspection done, completing its plan item).
- ``planning`` — the annual plan: ``plan_propose`` (``ProposalResult``), ``plan_item_add``,
  ``plan_item_cancel``, ``plan_item_move``.
- ``visits`` — a visit before it is carried out: ``visit_create``, ``visit_offer_slots``,
  ``visit_choose_slot``, ``visit_fix_time``, ``visit_update_focus``, ``visit_cancel``;
  ``when_text``.
- ``carrying_out`` — the visit carried out and what it found: ``visit_mark_visited`` (the
  report and publication clocks), ``finding_add`` (agreed solutions in the delivery plan),
  ``enforcement_add``.
- ``reporting`` — the inspection report: ``visit_report_update``, ``visit_report_send`` (the
  PDF itself is ``inspections/report.py``), ``visit_publish``.
- ``core`` — what they share: ``_require_staff``, ``_event``, ``_reason``, ``_date``, and the
  "visits" section: how a visit service locks (``_lock_visit``), saves (``_save_visit``) and
  writes its timeline event (``_visit_event``). It imports none of the others.
"""

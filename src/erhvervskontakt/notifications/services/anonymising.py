"""Retention in the outbox: when a case's contact person is anonymised
(``cases.announcements.CaseAnonymised``), the e-mails kept for that case lose the contact's
data too. An e-mail addressed to the contact keeps only what it was (kind, dates, status):
its address, subject quote, text, HTML and attachments go; an e-mail to staff keeps its text
with every quote of the contact replaced. A message still waiting to be sent to the contact
is not sent (the case ended years ago; the address is gone)."""

from __future__ import annotations

from django.db import transaction

from erhvervskontakt.cases.services.retention import PLACEHOLDER, contact_patterns, scrub

from ..models import Notification


@transaction.atomic
def notifications_anonymise_contact(*, case_id: int, name: str, email: str, phone: str) -> int:
    """Take the contact's data out of case ``case_id``'s e-mails; the number changed."""
    patterns = contact_patterns(name, email, phone)
    changed = []
    rows = Notification.objects.select_for_update().filter(case_id=case_id).order_by("pk")
    for row in rows:
        before = (row.recipient_email, row.subject, row.body_text, row.body_html, row.reply_to)
        if email and row.recipient_email.strip().lower() == email.strip().lower():
            row.recipient_email = ""
            row.body_text = row.body_html = PLACEHOLDER
            row.attachments = []
            if row.status in (Notification.Status.PENDING, Notification.Status.RETRY):
                row.status = Notification.Status.FAILED
                row.last_error = "Modtageren er anonymiseret efter opbevaringsfristen."
        row.subject = scrub(row.subject, patterns)
        row.body_text = scrub(row.body_text, patterns)
        row.body_html = scrub(row.body_html, patterns)
        row.reply_to = (
            "" if row.reply_to and scrub(row.reply_to, patterns) != row.reply_to else row.reply_to
        )
        if (row.recipient_email, row.subject, row.body_text, row.body_html, row.reply_to) != before:
            changed.append(row)
    Notification.objects.bulk_update(
        changed,
        [
            "recipient_email",
            "subject",
            "body_text",
            "body_html",
            "reply_to",
            "attachments",
            "status",
            "last_error",
        ],
    )
    return len(changed)

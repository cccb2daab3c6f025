"""Writes of notifications: record what is due (once), deliver it (once), sweep for what is due.

Three steps, each safe to repeat, one module each, and the e-mails each change causes:

- ``recording``: ``notifications_record`` records one ``Notification`` per recipient
  (insert-or-ignore on its unique ``dedupe_key``, the content rendered now) and, after
  commit, queues a ``deliver_notification(id)`` task. The outbox row, not the queue, is the
  truth: the sweep queues again whatever is due and has no task.
- ``case_mails``: what a committed change to a case (``case_event_notify``) or a sent
  inspection report (``visit_report_notify``) records, called by ``hooks`` after commit.
- ``delivery``: ``notification_deliver`` claims the row with a conditional UPDATE (only one
  worker can move it to ``sending``), sends it over SMTP, then marks it sent and writes the
  case's timeline event in one transaction. A failure is stored with its error and retried
  with exponential backoff; after the last attempt it is ``failed`` and waits for an
  administrator (admin list, "send again").
- ``sweep``: what has become due (deliverables, escalations, inspection deadlines, surveys,
  digests), recorded and queued.
"""

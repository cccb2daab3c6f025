"""Integrations: the ordered feed of case events and signed webhooks for other systems.

Docs: docs/decisions/0013-events-feed-and-webhooks.md.
"""

"""`/healthz`: liveness and database reachability for load balancers (no page, no login).

While the database is out of reach it answers 503 with ``Retry-After``, so the load
balancer (and a person looking) knows; the broken connection is closed at the end of the
request, so the first check after the database is back answers 200.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from erhvervskontakt.common.database import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: database unreachable: %s", error)
        response = JsonResponse({"status": "error", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})

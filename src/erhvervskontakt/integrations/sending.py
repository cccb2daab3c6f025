"""One webhook POST over HTTP(S): to the checked address, no redirects, bounded in time and
in what is read back.

``http.client`` rather than a client library: it never follows a redirect, never reads a
proxy from the environment, and lets the connection go to the address ``addresses.resolve``
checked while TLS still verifies the certificate for the URL's host name.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from .addresses import Target

# What of the receiver's answer is kept for the administrator (``last_error``).
KEPT_CHARACTERS = 500


@dataclass(frozen=True)
class Answer:
    """The receiver's answer: its status, the start of its body, where it redirected to."""

    status: int
    text: str
    location: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def post(
    target: Target,
    address: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    max_bytes: int,
) -> Answer:
    """POST ``body`` to ``target`` at ``address``; the answer, or ``OSError`` (refused,
    timed out, TLS failed). At most ``timeout`` seconds in all, and at most ``max_bytes`` of
    the answer's body are read (the rest is left unread and the connection closed)."""
    deadline = time.monotonic() + timeout
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def connect_to_checked_address(
        where: tuple[str, int], timeout: float | None = None, source_address: object = None
    ) -> socket.socket:
        return socket.create_connection((address, where[1]), timeout)

    connection._create_connection = connect_to_checked_address  # type: ignore[attr-defined]
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        chunks: list[bytes] = []
        size = 0
        while size < max_bytes:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if connection.sock is not None:
                connection.sock.settimeout(remaining)
            chunk = response.read1(min(8192, max_bytes - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        text = b"".join(chunks)[: KEPT_CHARACTERS * 4].decode("utf-8", errors="replace")
        return Answer(
            status=response.status,
            text=text[:KEPT_CHARACTERS],
            location=(response.getheader("Location") or "")[:KEPT_CHARACTERS],
        )
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()

"""Acquire: turn whatever the user points at into `SourceDocument`s, keeping the raw bytes.

Every defence against hostile input that arrives from outside (size caps, private addresses,
XML entities) sits here, where the input enters, once.
"""

from __future__ import annotations


class SourceError(Exception):
    """A source that cannot be read; the message is one line naming the input and the reason."""

    def __init__(self, origin: str, reason: str, code: str = "error", external_id: str | None = None):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason
        self.code = code
        self.external_id = external_id  # the corpus row's own id, when it has one

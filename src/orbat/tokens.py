"""API tokens: created once, shown once, stored as SHA-256 hashes, compared in constant time.

Why hashes: a leaked database copy or backup must not hand out write access. Why compare every
stored hash with `hmac.compare_digest` instead of looking the hash up: the time an answer takes
then says nothing about how much of a guess was right (RELIABILITY row 32).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from orbat.errors import InputError
from orbat.store import Store
from orbat.store.schema import tokens

ROLES = ("viewer", "analyst", "admin")  # each role may do what the ones before it may
PREFIX = "orbat_"


@dataclass(slots=True, frozen=True)
class Token:
    id: int
    role: str
    label: str


def token_hash(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, role: str, label: str | None = None,
                 expires_in_days: float | None = None) -> tuple[str, Token]:
    """A new random token; the plain text is returned here and never stored."""
    if role not in ROLES:
        raise InputError(f"role {role!r}: use one of {', '.join(ROLES)}")
    plain = PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = (now + timedelta(days=expires_in_days)).isoformat() if expires_in_days is not None else None
    with store._write() as conn:
        token_id = conn.execute(insert(tokens).returning(tokens.c.id),
                                {"hash": token_hash(plain), "role": role, "label": label,
                                 "created": now.isoformat(), "expires": expires}).scalar_one()
    return plain, Token(token_id, role, label or f"{role}-{token_id}")


def authenticate(store: Store, presented: str) -> Token | None:
    """The token whose hash matches and has not expired, checking every stored hash so timing
    reveals nothing."""
    wanted = token_hash(presented)
    now = datetime.now(UTC).isoformat()
    found = None
    with store.engine.connect() as conn:
        for row in conn.execute(select(tokens.c.id, tokens.c.hash, tokens.c.role, tokens.c.label,
                                       tokens.c.expires)):
            if hmac.compare_digest(row.hash.encode(), wanted.encode()) and (row.expires is None or row.expires > now):
                found = Token(row.id, row.role, row.label or f"{row.role}-{row.id}")
    return found


def has_tokens(store: Store) -> bool:
    """Auth is configured when at least one token exists."""
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tokens)).scalar_one() > 0


def allows(token: Token, role: str) -> bool:
    return ROLES.index(token.role) >= ROLES.index(role)

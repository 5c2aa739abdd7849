"""Errors a user can cause and fix; the CLI prints them as one line and exits non-zero."""

from __future__ import annotations


class UserError(Exception):
    exit_code = 1


class InputError(UserError):
    """The input cannot be read or is not what the command expects."""

    exit_code = 2


class InvalidValue(InputError):
    """A value outside its bounds or vocabulary (`orbat.validate`); the API answers 422."""

"""Domain-level validation errors; the rest of the project maps them to NargisError codes."""

from __future__ import annotations


class DomainError(ValueError):
    """A value breaks a rule of the domain (empty title, bad rule, mood out of range)."""

    def __init__(self, message: str, *, code: str = "bad-input") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

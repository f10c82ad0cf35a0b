"""Identifiers for items: random, so devices can create items offline without clashing."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return uuid.uuid4().hex

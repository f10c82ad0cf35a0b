"""Errors the API answers with: an HTTP status and a stable code, never a stack trace or a payload."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message)

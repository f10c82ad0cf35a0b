"""Every error code Nargis raises is in the one registry, nargis_desktop.errors.CODES."""

from __future__ import annotations

import re
from pathlib import Path

from nargis_desktop.errors import CODES

ROOT = Path(__file__).resolve().parents[1]
# code="x", code = "x" (a class attribute), _CODE = "x", and a stage's _report("x", ...)
LITERAL = re.compile(r"""(?:\bcode\s*=\s*|_CODE\s*=\s*|_report\(\s*)"([a-z][a-z0-9-]*)\"""")
TEMPLATE = re.compile(r"""\bcode\s*=\s*f"([^"]*)\"""")
# Templates and the codes they make; a new template must be listed here with all its codes.
TEMPLATES = {
    "audio-no-{kind}": {"audio-no-input", "audio-no-output"},
    "sync-{code or 'auth'}": {"sync-auth"},  # and the server's codes, checked below
    "sync-{code or 'protocol'}": {"sync-protocol"},
}
# The server's problem codes: ApiError(status, "code", ...), unauthorized("code", ...), {"code": "code"}
SERVER_CODE = re.compile(r"""(?:ApiError\(\s*\d+,\s*|unauthorized\(\s*|"code":\s*)"([a-z][a-z0-9-]*)\"""")


def _sources(package: str) -> list[tuple[Path, str]]:
    return [(path, path.read_text(encoding="utf-8")) for path in sorted((ROOT / package).rglob("*.py"))]


def test_every_literal_code_raised_in_the_product_is_registered() -> None:
    used = {(code, path.name) for path, text in _sources("nargis_desktop") for code in LITERAL.findall(text)}
    assert len(used) > 80  # the scan finds the codes (a broken pattern would find none)
    missing = sorted(f"{code} ({where})" for code, where in used if code not in CODES)
    assert not missing, f"unregistered error codes: {missing}"


def test_every_code_template_is_known_and_makes_only_registered_codes() -> None:
    templates = {found for _, text in _sources("nargis_desktop") for found in TEMPLATE.findall(text)}
    assert templates == set(TEMPLATES)
    assert all(code in CODES for codes in TEMPLATES.values() for code in codes)


def test_every_code_the_sync_server_answers_with_is_registered_as_a_sync_code() -> None:
    server = {code for _, text in _sources("nargis_sync_server") for code in SERVER_CODE.findall(text)}
    assert {"device-revoked", "quota-exceeded", "body-too-large"} <= server
    missing = sorted(code for code in server if f"sync-{code}" not in CODES)
    assert not missing, f"server codes the desktop would relay unregistered: {missing}"


def test_each_registered_code_is_a_plain_slug_with_a_meaning() -> None:
    assert all(meaning.strip() for meaning in CODES.values())
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", code) for code in CODES)

"""The console's page over plain HTTP: built from the package's own files, with headers that keep it to them."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest
import requests

from acsid_cli.emulator.console import app

STATIC = Path(app.__file__).parent / "static"
ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/console.js", "text/javascript; charset=utf-8"),
        ("/console.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ],
)
def test_each_file_is_served_with_a_strict_policy(console_site, path, content_type):
    answer = requests.get(console_site.url + path, timeout=10)
    assert (answer.status_code, answer.headers["Content-Type"]) == (200, content_type)
    assert answer.headers["Content-Security-Policy"] == CSP
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    name = "index.html" if path == "/" else path[1:]
    assert answer.content == (STATIC / name).read_bytes()


def test_anything_else_is_not_found_with_the_same_headers(console_site):
    for path in ("/index.html", "/../pyproject.toml", "/static/console.js", "/identities"):
        answer = requests.get(console_site.url + path, timeout=10)
        assert (answer.status_code, answer.headers["Content-Security-Policy"]) == (404, CSP), path
    answer = requests.post(console_site.url + "/", timeout=10)
    assert answer.status_code == 404


def test_admin_answers_are_never_cached(console_site):
    answer = requests.get(
        console_site.url + "/emulator/about", timeout=10, headers={"Authorization": f"Bearer {console_site.token}"}
    )
    assert (answer.status_code, answer.headers["Cache-Control"]) == (200, "no-store")
    assert answer.headers["Content-Security-Policy"] == CSP
    assert answer.json()["endpoint"] == console_site.emulator.endpoint  # the console says where SDKs go


def test_the_page_has_no_inline_script_or_style_and_loads_only_its_own_files():
    html = (STATIC / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert not re.search(r"\s(style|on[a-z]+)=", html)
    linked = set(re.findall(r'(?:src|href)="([^"#]+)"', html))
    assert linked == {"favicon.svg", "console.css", "console.js"}
    assert {f"/{name}" for name in linked} | {"/"} == set(app.PAGES)
    script = (STATIC / "console.js").read_text()
    # Data reaches the page as text only: no HTML parsing of anything from the emulator.
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", script)


def test_a_wheel_carries_every_file_of_the_page():
    # tomllib is 3.11's; the line is simple enough to read as JSON
    line = re.search(r'^"acsid_cli\.emulator\.console" = (\[.*\])$', (ROOT / "pyproject.toml").read_text(), re.M)
    assert line, "pyproject.toml names the console's files in [tool.setuptools.package-data]"
    globs = json.loads(line.group(1))
    on_disk = {path.relative_to(STATIC.parent).as_posix() for path in STATIC.iterdir()}
    assert on_disk == {f"static/{name}" for name in app.PAGES.values()}
    assert all(any(fnmatch(name, glob) for glob in globs) for name in on_disk)

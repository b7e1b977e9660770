"""Run the example project under daphne in a subprocess, for end-to-end tests.

The site gets its own SQLite file, migrated and seeded with ``seed_demo``,
so it shares nothing with the test process but the code.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60.0


@dataclass
class LiveSite:
    url: str
    db_path: Path
    log_path: Path
    #: Environment variables on top of the defaults, for daphne and ``manage``.
    extra_env: Mapping[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(
    db_path: Path, extra_env: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "example_project.settings"
    env["DASH_EXAMPLE_DB"] = str(db_path)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra_env or {})
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _wait_until_serving(
    url: str, process: subprocess.Popen[bytes], site: LiveSite
) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited early:\n{site.log()}")
        try:
            if httpx.get(f"{url}/admin/login/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"daphne did not serve {url} in {STARTUP_TIMEOUT}s:\n{site.log()}"
    )


@contextmanager
def run_live_site(
    workdir: Path, extra_env: Mapping[str, str] | None = None
) -> Iterator[LiveSite]:
    """Migrate, seed and serve the example project; stop daphne on exit.

    ``extra_env`` adds environment variables, such as
    ``DASH_EXAMPLE_REDIS_URL``, for the server and for ``manage(site, ...)``.
    """
    db_path = workdir / "site.sqlite3"
    extra_env = dict(extra_env or {})
    env = _environment(db_path, extra_env)
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo", "--verbosity", "0")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    site = LiveSite(
        url=url, db_path=db_path, log_path=workdir / "daphne.log", extra_env=extra_env
    )
    with site.log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "example_project.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(url, process, site)
            yield site
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    if match is None:
        raise AssertionError("The page has no CSRF token input.")
    return match.group(1)


def admin_client(site: LiveSite, username: str, password: str) -> httpx.Client:
    """Return an HTTP client signed in to the site's admin as ``username``."""
    client = httpx.Client(base_url=site.url, timeout=10)
    page = client.get("/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(page.text),
            "next": "/admin/",
        },
    )
    if response.status_code != 302:
        raise AssertionError(f"Login as {username} failed: {response.status_code}")
    return client


def admin_post(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    """Submit an admin form at ``path`` the way a browser would."""
    page = client.get(path)
    page.raise_for_status()
    return client.post(
        path, data={**data, "csrfmiddlewaretoken": csrf_token(page.text)}
    )


def manage(site: LiveSite, *args: str) -> str:
    """Run a management command against the live site's database."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environment(site.db_path, site.extra_env),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout

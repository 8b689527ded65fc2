"""A real Label Studio server for the integration tests, installed and started on demand.

The server (package ``label-studio``, about 1 GB) pins dependencies that clash
with filingkit's, so it lives in its own virtual environment,
``<repo>/.venv-labelstudio``, created with ``python -m venv`` and pip the first
time and reused afterwards. Database migrations (35-75 s) run once into a
template data folder under ``<repo>/.cache``; each test session copies the
template, starts ``label-studio start`` from that venv on a free port of
127.0.0.1 with a scrubbed environment (the server reads USERNAME, PASSWORD,
PORT, HOST and DEBUG from it), polls the API until it answers and stops it
with SIGTERM. A server that does not come up fails the tests with the tail of
its log; it is never skipped silently.

``FILINGKIT_LS_VENV`` and ``FILINGKIT_LS_CACHE`` move the venv and the template
cache elsewhere (a CI cache, a cold-start check). The admin account and its API
token below exist only inside these throwaway local servers.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LS_VERSION = "1.23.2"
LS_VENV = Path(os.environ.get("FILINGKIT_LS_VENV", REPO / ".venv-labelstudio"))
CACHE = Path(os.environ.get("FILINGKIT_LS_CACHE", REPO / ".cache"))
TEMPLATE = CACHE / f"labelstudio-template-{LS_VERSION}"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "filingkit-test-only"
ADMIN_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # test-only, local throwaway server


@dataclass(frozen=True)
class Server:
    """A running server: where it listens and how to authenticate."""

    url: str
    api_key: str
    data_dir: Path
    log: Path


class ServerError(RuntimeError):
    """The server could not be installed or started; the message carries the log tail."""


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


@contextlib.contextmanager
def _lock(name: str) -> Iterator[None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def label_studio_bin() -> Path:
    return LS_VENV / "bin" / "label-studio"


def ensure_installed() -> float:
    """Install label-studio into its own venv unless present; return seconds spent."""
    marker = LS_VENV / f".filingkit-label-studio-{LS_VERSION}"
    if marker.exists() and label_studio_bin().exists():
        return 0.0
    started = time.monotonic()
    with _lock("labelstudio-venv"):
        if marker.exists() and label_studio_bin().exists():
            return 0.0
        log = CACHE / "labelstudio-install.log"
        with log.open("w") as out:
            if not (LS_VENV / "bin" / "python").exists():
                subprocess.run([sys.executable, "-m", "venv", str(LS_VENV)], check=True,
                               stdout=out, stderr=subprocess.STDOUT)
            proc = subprocess.run(
                [str(LS_VENV / "bin" / "python"), "-m", "pip", "install",
                 "--disable-pip-version-check", f"label-studio=={LS_VERSION}"],
                stdout=out, stderr=subprocess.STDOUT, check=False,
            )
        if proc.returncode != 0:
            raise ServerError(f"pip install label-studio=={LS_VERSION} failed:\n{_tail(log)}")
        marker.write_text(f"label-studio {LS_VERSION}\n")
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: Label Studio's default SSRF block list (core/utils/io.py) less the loopback networks, so
#: that the server reaches an ML backend and its webhook on 127.0.0.1 and nothing else local.
SSRF_BLOCKED_BUT_LOOPBACK = ",".join((
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "233.252.0.0/24", "240.0.0.0/4",
    "255.255.255.255/32", "::/128", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96",
    "64:ff9b:1::/48", "100::/64", "2001:0000::/32", "2001:20::/28", "2001:db8::/32",
    "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8",
))


def _scrubbed_env(data_dir: Path) -> dict[str, str]:
    """Only what the server needs: no USERNAME/PASSWORD/PORT/HOST/DEBUG leaking in.

    The SSRF settings let the server call an ML backend on 127.0.0.1 (the
    ``annotate serve`` tests) while every other reserved network stays blocked.
    """
    return {
        "USE_DEFAULT_BANNED_SUBNETS": "false",
        "USER_ADDITIONAL_BANNED_SUBNETS": SSRF_BLOCKED_BUT_LOOPBACK,
        "PATH": f"{LS_VENV / 'bin'}:/usr/bin:/bin",
        "HOME": str(data_dir),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "DJANGO_DB": "sqlite",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "PYTHONUNBUFFERED": "1",
    }


def _answers(url: str) -> bool:
    req = urllib.request.Request(f"{url}/api/projects",
                                 headers={"Authorization": f"Token {ADMIN_TOKEN}"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return int(resp.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _start(data_dir: Path, timeout: float) -> tuple[subprocess.Popen[bytes], Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "server.log"
    cmd = [
        str(label_studio_bin()), "start", "--no-browser", "--internal-host", "127.0.0.1",
        "--port", str(port), "--data-dir", str(data_dir),
        "--database", str(data_dir / "ls.sqlite3"),
        "--username", ADMIN_EMAIL, "--password", ADMIN_PASSWORD,
        "--user-token", ADMIN_TOKEN, "--enable-legacy-api-token",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=_scrubbed_env(data_dir), cwd=data_dir,
                                start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"label-studio exited with {proc.returncode}:\n{_tail(log)}")
        if _answers(url):
            return proc, Server(url, ADMIN_TOKEN, data_dir, log)
        time.sleep(1)
    stop(proc)
    raise ServerError(f"label-studio did not answer within {timeout:.0f} s:\n{_tail(log)}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def ensure_template() -> float:
    """Migrate a data folder once (first start) and keep it as the template; seconds spent."""
    ready = TEMPLATE / ".ready"
    if ready.exists():
        return 0.0
    started = time.monotonic()
    with _lock("labelstudio-template"):
        if ready.exists():
            return 0.0
        shutil.rmtree(TEMPLATE, ignore_errors=True)
        work = TEMPLATE.with_name(TEMPLATE.name + ".building")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        proc, _ = _start(work, timeout=300)
        stop(proc)
        (work / "server.log").unlink(missing_ok=True)
        work.rename(TEMPLATE)
        ready.write_text("migrated\n")
    return time.monotonic() - started


@contextlib.contextmanager
def running_server(base: Path) -> Iterator[Server]:
    """Install if needed, copy the template into ``base`` and run a server there."""
    ensure_installed()
    ensure_template()
    data_dir = base / "labelstudio-data"
    shutil.copytree(TEMPLATE, data_dir)
    (data_dir / ".ready").unlink(missing_ok=True)
    proc, server = _start(data_dir, timeout=120)
    try:
        yield server
    finally:
        stop(proc)

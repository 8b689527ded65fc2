"""``filingkit annotate serve`` as a user runs it: a real process on 127.0.0.1, stopped with SIGTERM.

Checks the defaults (loopback, basic auth from the environment) and that
neither the basic-auth password nor the API token Label Studio puts in the
``/setup`` body ever reaches the server's output, even at debug level.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from filingkit.annotate.config import labeling_schema
from filingkit.cli import main

from .labelstudio_server import free_port

PASSWORD = "cli-test-only-pw-7f3a"
TOKEN = "ls-token-0f9e8d7c6b5a"


def _call(url: str, path: str, body: Any = None, auth: bool = True) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method="POST" if data else "GET",
                                 headers={"content-type": "application/json"})
    if auth:
        cred = base64.b64encode(f"ls:{PASSWORD}".encode()).decode()
        req.add_header("Authorization", f"Basic {cred}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return int(resp.status), json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), json.loads(exc.read())


def test_serve_command(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    env = {**os.environ, "FILINGKIT_SERVE_USER": "ls", "FILINGKIT_SERVE_PASSWORD": PASSWORD}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "filingkit.cli", "annotate", "serve",
                                 "--extractor", "rules", "--port", str(port),
                                 "--log-level", "debug"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, health = _call(url, "/health")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        assert (status, health["model_version"]) == (200, "rules@1")
        assert _call(url, "/health", auth=False)[0] == 401
        status, body = _call(url, "/setup", {"project": "1.1", "schema": labeling_schema().xml,
                                             "access_token": TOKEN, "hostname": "x"})
        assert (status, body) == (200, {"model_version": "rules@1"})
        assert _call(url, "/predict", {"tasks": [{"id": 1, "data": {"text": "ACME Corp."}}],
                                       "params": {"password": TOKEN}})[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text()
    assert f"serving rules@1 on {url} (basic auth)" in text
    assert "POST /setup" in text  # the access log is on...
    assert PASSWORD not in text and TOKEN not in text  # ...and holds no secret
    assert base64.b64encode(f"ls:{PASSWORD}".encode()).decode() not in text


@pytest.mark.parametrize(("argv", "env", "needle"), [
    pytest.param(["--extractor", "rules", "--model", "x"], {},
                 "--model is for a trainable extractor", id="model-for-rules"),
    pytest.param(["--extractor", "nope"], {}, "no extractor named 'nope'", id="unknown"),
    pytest.param(["--extractor", "rules"], {"FILINGKIT_SERVE_USER": "ls"},
                 "basic auth needs both", id="half-auth"),
    pytest.param(["--extractor", "rules", "--port", "0"], {}, "--port must be", id="port"),
])
def test_serve_refuses(argv: list[str], env: dict[str, str], needle: str,
                       monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                       ) -> None:
    monkeypatch.delenv("FILINGKIT_SERVE_USER", raising=False)
    monkeypatch.delenv("FILINGKIT_SERVE_PASSWORD", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert main(["annotate", "serve", *argv]) == 2
    assert needle in capsys.readouterr().err

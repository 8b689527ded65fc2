"""The HTTP side of the ML backend: a Starlette app over ``serve.Backend``, run by uvicorn.

Why Starlette + uvicorn and not the official ``label-studio-ml`` package:
its only release on PyPI (1.0.9, January 2023) imports ``rq`` and ``redis``
without declaring them, pins Flask 1.1.2 / Werkzeug 2.0.2, answers a body
that is not JSON with a 500 whose body holds the traceback, and logs request
headers (the basic-auth password) at debug level; its current code is not
released (see docs/annotation.md for the measurement).

Safe by default:

- ``serve`` binds 127.0.0.1 unless told otherwise;
- HTTP basic auth when credentials are given (Label Studio sends the
  connection's *Basic Auth* user and password on every call), compared in
  constant time; a wrong or missing one is a 401;
- a request body limit (``Content-Length`` checked first, then the stream);
- a malformed request gets a 4xx JSON ``{"error": reason}``; anything
  unexpected is a 500 ``{"error": "internal error ..."}`` without a
  traceback (the traceback goes to the server log, never the body);
- nothing logs a request body or header: the ``/setup`` body carries the
  project owner's API token, the headers the basic-auth password.

Extraction and training are CPU work: requests run in the thread pool so
``/health`` answers while a batch is predicted (Label Studio gives health
one second).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from filingkit.annotate.serve import Backend, RequestError
from filingkit.errors import FilingkitError

log = logging.getLogger("filingkit.annotate.server")

DEFAULT_MAX_BODY = 64 * 1024 * 1024
INSTALL_HINT = "pip install 'filingkit[serve]'"


@dataclass(frozen=True)
class BasicAuth:
    """The user and password Label Studio must send; never shown in ``repr``."""

    user: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"BasicAuth(user={self.user!r}, password=<hidden>)"

    def accepts(self, header: str | None) -> bool:
        """True when an ``Authorization`` header carries exactly these credentials."""
        if not header or not header.lower().startswith("basic "):
            return False
        try:
            raw = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = raw.partition(":")
        ok_user = secrets.compare_digest(user.encode(), self.user.encode())
        ok_pass = secrets.compare_digest(password.encode(), self.password.encode())
        return bool(sep) and ok_user and ok_pass


def create_app(backend: Backend, *, auth: BasicAuth | None = None,
               max_body: int = DEFAULT_MAX_BODY) -> Any:
    """The ASGI application: ``/health``, ``/setup``, ``/predict``, ``/webhook``, ``/train``,
    ``/versions``."""
    try:
        from starlette.applications import Starlette
        from starlette.concurrency import run_in_threadpool
        from starlette.exceptions import HTTPException
        from starlette.requests import ClientDisconnect, Request
        from starlette.responses import JSONResponse, Response
        from starlette.routing import Route
    except ImportError as exc:
        raise FilingkitError("the ML backend server needs starlette and uvicorn",
                             hint=INSTALL_HINT) from exc

    def error(status: int, reason: str, hint: str | None = None) -> Response:
        body: dict[str, Any] = {"error": reason}
        if hint:
            body["hint"] = hint
        headers = {"WWW-Authenticate": 'Basic realm="filingkit"'} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)

    async def read_json(request: Request) -> Any:
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise RequestError("Content-Length is not a number", status=400)
            if int(declared) > max_body:
                raise RequestError(f"request body of {int(declared)} bytes exceeds the limit of "
                                   f"{max_body} bytes", status=413,
                                   hint="send fewer tasks per request or raise --max-body-mb")
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_body:
                    raise RequestError(f"request body exceeds the limit of {max_body} bytes",
                                       status=413)
                chunks.append(chunk)
        except ClientDisconnect:
            raise RequestError("the client went away before sending the body",
                               status=400) from None
        raw = b"".join(chunks)
        if not raw.strip():
            raise RequestError("the request has no body; a JSON object is expected", status=400)
        try:
            data = json.loads(raw.decode("utf-8"))  # RFC 8259: JSON between systems is UTF-8
        except UnicodeDecodeError:
            raise RequestError("the body is not UTF-8 JSON", status=400) from None
        except json.JSONDecodeError as exc:
            raise RequestError(f"the body is not JSON: line {exc.lineno} column {exc.colno}: "
                               f"{exc.msg}", status=400) from None
        if not isinstance(data, dict):
            raise RequestError(f"the body is a JSON {type(data).__name__}, expected an object",
                               status=400)
        return data

    def endpoint(handler: Callable[[Any], dict[str, Any]], *, body: bool,
                 status: int = 200) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            if auth is not None and not auth.accepts(request.headers.get("authorization")):
                return error(401, "authentication required: wrong or missing basic-auth "
                                  "credentials", "set the connection's Basic Auth user and "
                                                 "password in Label Studio")
            try:
                data = await read_json(request) if body else None
                out = await run_in_threadpool(handler, data)
            except RequestError as exc:
                return error(exc.status, exc.reason, exc.hint)
            except FilingkitError as exc:
                return error(422, exc.message, exc.hint)
            except Exception as exc:  # never a traceback in the answer; it goes to the log
                log.exception("%s %s failed", request.method, request.url.path)
                return error(500, f"internal error ({type(exc).__name__}); see the server log")
            return JSONResponse(out, status_code=status)
        return run

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error(exc.status_code, str(exc.detail))

    routes = [
        Route("/health", endpoint(lambda _: backend.health(), body=False), methods=["GET"]),
        Route("/", endpoint(lambda _: backend.health(), body=False), methods=["GET"]),
        Route("/versions", endpoint(lambda _: backend.versions(), body=False), methods=["GET"]),
        Route("/setup", endpoint(backend.setup, body=True), methods=["POST"]),
        Route("/predict", endpoint(backend.predict, body=True), methods=["POST"]),
        Route("/webhook", endpoint(backend.webhook, body=True), methods=["POST"]),
        Route("/train", endpoint(backend.train, body=True, status=201), methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


def serve(backend: Backend, *, host: str = "127.0.0.1", port: int = 9090,
          auth: BasicAuth | None = None, max_body: int = DEFAULT_MAX_BODY,
          log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted (the CLI's ``annotate serve``)."""
    try:
        import uvicorn
    except ImportError as exc:
        raise FilingkitError("the ML backend server needs uvicorn", hint=INSTALL_HINT) from exc
    app = create_app(backend, auth=auth, max_body=max_body)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)

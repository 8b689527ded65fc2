"""Talking to a Label Studio server with the official SDK: push tasks, pull annotations.

The server URL and API key come from arguments or the environment
(``LABEL_STUDIO_URL``, ``LABEL_STUDIO_API_KEY``). The key is held only in
memory: it is never logged, printed, written to disk or put in an error
message (``Connection`` hides it from its ``repr``).

The SDK (``label-studio-sdk``, extra ``annotate``) is heavy and imported only
when a server is contacted.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError
from filingkit.jsonio import write_json_atomic

URL_ENV = "LABEL_STUDIO_URL"
API_KEY_ENV = "LABEL_STUDIO_API_KEY"
INSTALL_HINT = "pip install 'filingkit[annotate]'"

#: A snapshot export with what the plain JSON export leaves out: prediction bodies
#: (not only their ids) and the annotators' identities (e-mail, not only the id).
SNAPSHOT_OPTIONS: dict[str, Any] = {
    "predictions": {"only_id": False},
    "annotations__completed_by": {"only_id": False},
}


class LabelStudioError(FilingkitError):
    """The server refused a request, or could not be reached."""


@dataclass(frozen=True)
class Connection:
    """Where the server is and the key to use; the key never appears in ``repr``."""

    url: str
    api_key: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Connection(url={self.url!r}, api_key=<hidden>)"


def connection(url: str | None = None, api_key: str | None = None, *,
               environ: Mapping[str, str] | None = None) -> Connection:
    """A connection from arguments, falling back to ``LABEL_STUDIO_URL`` / ``_API_KEY``."""
    env = os.environ if environ is None else environ
    u = url or env.get(URL_ENV, "")
    k = api_key or env.get(API_KEY_ENV, "")
    if not u:
        raise FilingkitError("no Label Studio URL", hint=f"pass --url or set {URL_ENV}")
    if not k:
        raise FilingkitError("no Label Studio API key",
                             hint=f"set {API_KEY_ENV} (Account & Settings > Access token)")
    return Connection(u.rstrip("/"), k)


def sdk_client(conn: Connection) -> Any:
    """A ``label_studio_sdk.LabelStudio`` client for the connection."""
    try:
        from label_studio_sdk import LabelStudio
    except ImportError as exc:
        raise FilingkitError("the Label Studio SDK is not installed",
                             hint=INSTALL_HINT) from exc
    return LabelStudio(base_url=conn.url, api_key=conn.api_key)  # type: ignore[no-untyped-call]


@contextmanager
def _api(what: str, conn: Connection) -> Iterator[None]:
    """Turn SDK and network errors into ``LabelStudioError`` naming the request, not the key."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield
    except ApiError as exc:
        raise LabelStudioError(f"{what}: HTTP {exc.status_code}: {str(exc.body)[:500]}",
                               file=conn.url) from exc
    except httpx.HTTPError as exc:
        raise LabelStudioError(f"{what}: cannot reach the server: {exc}",
                               file=conn.url) from exc


@dataclass(frozen=True, slots=True)
class PushResult:
    """What a push did to the project."""

    project_id: int
    created: bool
    config_updated: bool
    model_version: str | None
    imported: int
    already_there: int
    task_ids: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"project_id": self.project_id, "created": self.created,
                "config_updated": self.config_updated, "model_version": self.model_version,
                "imported": self.imported, "already_there": self.already_there,
                "task_ids": list(self.task_ids)}


def find_project(ls: Any, conn: Connection, title: str) -> Any | None:
    """The project with exactly this title, or ``None``; two such projects are an error."""
    with _api("list projects", conn):
        found = [p for p in ls.projects.list(title=title) if p.title == title]
    if len(found) > 1:
        raise LabelStudioError(f"{len(found)} projects are titled {title!r}",
                               hint="rename one, or pass the project id")
    return found[0] if found else None


def default_model_version(tasks: Sequence[Mapping[str, Any]]) -> str | None:
    """The model version of the first prediction of the first task that has one."""
    for t in tasks:
        for p in t.get("predictions") or ():
            if isinstance(p, Mapping) and p.get("model_version"):
                return str(p["model_version"])
    return None


def existing_doc_ids(ls: Any, conn: Connection, project_id: int) -> set[str]:
    """Document ids of the tasks already in a project."""
    with _api("list tasks", conn):
        return {str(t.data.get("doc_id")) for t in ls.tasks.list(project=project_id)
                if isinstance(t.data, dict) and t.data.get("doc_id")}


def push(conn: Connection, tasks: Sequence[Mapping[str, Any]], *, project: str,
         label_config: str, model_version: str | None = None, annotators: int | None = None,
         description: str = "") -> PushResult:
    """Create or update a project and import the tasks it does not have yet.

    The project's config is replaced when it differs (Label Studio refuses a
    config that existing annotations no longer fit, and that error is raised);
    its ``model_version`` is set so that pre-annotations of that version show;
    ``annotators`` asks for that many annotations per task
    (``maximum_annotations`` with ``overlap_cohort_percentage`` 100; a new
    project gets 1 when it is not given, an existing one keeps its own). Tasks
    whose ``doc_id`` is already in the project are not imported twice.
    """
    if annotators is not None and annotators < 1:
        raise FilingkitError(f"annotators must be at least 1, got {annotators}")
    ls = sdk_client(conn)
    version = model_version or default_model_version(tasks)
    existing = find_project(ls, conn, project)
    created = existing is None
    config_updated = False
    settings: dict[str, Any] = {}
    if annotators is not None or existing is None:
        settings.update(maximum_annotations=annotators or 1, overlap_cohort_percentage=100)
    if version:
        settings["model_version"] = version
    if existing is None:
        with _api("create project", conn):
            proj = ls.projects.create(title=project, label_config=label_config,
                                      description=description, **settings)
        pid = int(proj.id)
    else:
        pid = int(existing.id)
        with _api("read project", conn):
            current = ls.projects.get(id=pid)
        if (current.label_config or "").strip() != label_config.strip():
            settings["label_config"] = label_config
            config_updated = True
        if settings:
            with _api("update project", conn):
                ls.projects.update(id=pid, **settings)
    have = existing_doc_ids(ls, conn, pid) if not created else set()
    new = [dict(t) for t in tasks if str(t.get("data", {}).get("doc_id")) not in have]
    ids: tuple[int, ...] = ()
    if new:
        with _api("import tasks", conn):
            resp = ls.projects.import_tasks(id=pid, request=new, return_task_ids=True)
        ids = tuple(int(i) for i in (getattr(resp, "task_ids", None) or ()))
    return PushResult(pid, created, config_updated, version, len(new), len(tasks) - len(new),
                      ids)


def project_id(ls: Any, conn: Connection, project: str | int) -> int:
    """A project's id from its id or its exact title."""
    if isinstance(project, int) or str(project).isdigit():
        return int(project)
    found = find_project(ls, conn, str(project))
    if found is None:
        raise LabelStudioError(f"no project titled {project!r}")
    return int(found.id)


def pull(conn: Connection, *, project: str | int, timeout: float = 300.0,
         poll: float = 1.0) -> list[dict[str, Any]]:
    """All tasks of a project with annotations, annotators' e-mails and prediction bodies.

    Uses a snapshot export (``SNAPSHOT_OPTIONS``), polled until it completes.
    """
    ls = sdk_client(conn)
    pid = project_id(ls, conn, project)
    with _api("create export", conn):
        snap = ls.projects.exports.create(id=pid, title="filingkit pull",
                                          serialization_options=SNAPSHOT_OPTIONS)
    deadline = time.monotonic() + timeout
    status = str(getattr(snap, "status", ""))
    while status != "completed":
        if status == "failed":
            raise LabelStudioError(f"export {snap.id} of project {pid} failed")
        if time.monotonic() > deadline:
            raise LabelStudioError(f"export {snap.id} of project {pid} not ready after "
                                   f"{timeout:.0f} s (status {status!r})")
        time.sleep(poll)
        with _api("poll export", conn):
            snap = ls.projects.exports.get(id=pid, export_pk=snap.id)
        status = str(getattr(snap, "status", ""))
    with _api("download export", conn):
        raw = b"".join(ls.projects.exports.download(id=pid, export_pk=snap.id,
                                                    export_type="JSON"))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelStudioError(f"export {snap.id} is not JSON: {exc}") from None
    if not isinstance(data, list):
        raise LabelStudioError(f"export {snap.id} is not a list of tasks")
    return data


def write_export(path: str | Path, export: Sequence[Mapping[str, Any]]) -> Path:
    """Write a pulled export as JSON, atomically."""
    return write_json_atomic(path, list(export))

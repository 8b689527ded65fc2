"""``annotate serve`` connected to a real Label Studio 1.23 server (fixture ``labelstudio``).

The backend runs in-process under uvicorn on a free port of 127.0.0.1, which
the Label Studio server calls (its SSRF block list is the default one less
loopback, see ``labelstudio_server``). Through the SDK: connect the model to a
project (basic auth), import tasks without predictions, let Label Studio fetch
predictions (the data manager's *Retrieve predictions* action, and opening a
task with automatic evaluation on), find them on the tasks; submit an
annotation, see the webhook Label Studio created arrive, the CRF retrain and
Label Studio pick up the new model version. Deselect with ``-m "not labelstudio"``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from filingkit.annotate.client import connection
from filingkit.annotate.config import labeling_schema
from filingkit.annotate.regions import to_results
from filingkit.annotate.serve import Backend
from filingkit.annotate.server import BasicAuth, create_app
from filingkit.annotate.tasks import document_data, validate_task
from filingkit.extractors.cv import in_scope
from filingkit.extractors.ml import CrfExtractor
from filingkit.extractors.registry import get_extractor
from filingkit.gold.store import load_gold_dir
from filingkit.records import Document, GoldDocument

from .builders import annotations_a, document
from .labelstudio_server import Server, free_port

pytestmark = pytest.mark.labelstudio
SCHEMA = labeling_schema()
USER, PASSWORD = "label-studio", "serve-test-only-pw"


@contextmanager
def running_backend(backend: Backend, auth: BasicAuth | None = None) -> Iterator[str]:
    """The backend's app under uvicorn in a thread; stopped on exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(backend, auth=auth), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="filingkit-serve-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the ML backend did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


def _client(server: Server) -> Any:
    return LabelStudio(base_url=server.url, api_key=server.api_key)


def _import(ls: Any, pid: int, docs: list[Document]) -> list[int]:
    resp = ls.projects.import_tasks(id=pid, request=[{"data": document_data(d)} for d in docs],
                                    return_task_ids=True)
    return [int(i) for i in resp.task_ids]


def _as_dict(p: Any) -> dict[str, Any]:
    return p if isinstance(p, dict) else dict(p.dict())


def _predictions(ls: Any, pid: int) -> dict[int, list[dict[str, Any]]]:
    """Predictions per task, read by listing (which, unlike opening a task, predicts nothing)."""
    return {int(t.id): [_as_dict(p) for p in (t.predictions or [])]
            for t in ls.tasks.list(project=pid, fields="all")}


def _retrieve(ls: Any, pid: int) -> None:
    ls.actions.create(project=pid, id="retrieve_tasks_predictions",
                      selected_items={"all": True, "excluded": []})


def _small_crf() -> tuple[CrfExtractor, list[GoldDocument]]:
    """The CRF fitted briefly on three bundled gold filings with entity scope, and that gold."""
    cat = SCHEMA.catalogue
    gold = [g for g in load_gold_dir() if in_scope(g.gold, cat.entity_labels, cat)][:3]
    return CrfExtractor(max_iterations=5).fit([g.document for g in gold],
                                              [g.gold.annotations for g in gold]), gold


def test_rules_predictions_through_label_studio(labelstudio: Server) -> None:
    ls = _client(labelstudio)
    project = ls.projects.create(title="serve rules", label_config=SCHEMA.xml)
    backend = Backend([get_extractor("rules")], SCHEMA)
    with running_backend(backend, BasicAuth(USER, PASSWORD)) as url:
        # wrong credentials: Label Studio's own health check refuses the connection
        with pytest.raises(ApiError) as bad:
            ls.ml.create(project=project.id, url=url, title="filingkit",
                         auth_method="BASIC_AUTH", basic_auth_user=USER,
                         basic_auth_pass="not-the-password")
        assert "authentication parameters were either not provided or are incorrect" in str(
            bad.value.body)
        ml = ls.ml.create(project=project.id, url=url, title="filingkit",
                          auth_method="BASIC_AUTH", basic_auth_user=USER,
                          basic_auth_pass=PASSWORD)
        ml = ls.ml.get(id=ml.id)
        assert ml.readable_state == "Connected"
        assert ml.model_version == "rules@1"

        seed = document()
        other = Document("other-001", "ACME Corp. of Boston, Massachusetts, announced on May "
                                      "1, 2024 that Jane Doe joined as Chief Financial Officer.")
        task_ids = _import(ls, project.id, [seed, other])
        assert _predictions(ls, project.id) == {t: [] for t in task_ids}  # none imported

        _retrieve(ls, project.id)  # the data manager's "Retrieve predictions"
        listed = _predictions(ls, project.id)
        for tid, doc in zip(task_ids, (seed, other), strict=True):
            (pred,) = listed[tid]
            assert pred["model_version"] == "rules@1"
            assert pred["result"], doc.doc_id
            task = {"data": document_data(doc), "predictions": [
                {"model_version": pred["model_version"], "result": pred["result"]}]}
            assert validate_task(task, SCHEMA) == []  # offsets and span texts as stored

        # opening a task that has no prediction (the label stream, the task API) asks too
        (late,) = _import(ls, project.id, [Document("late-001", seed.text[:4000])])
        assert _predictions(ls, project.id)[late] == []
        opened = ls.tasks.get(id=late)
        assert [_as_dict(p)["model_version"] for p in opened.predictions] == ["rules@1"]


def test_annotation_retrains_the_crf_and_label_studio_sees_the_new_version(
        labelstudio: Server) -> None:
    crf, gold = _small_crf()
    backend = Backend([crf], SCHEMA, gold=gold)
    assert backend.trainer is not None
    first = backend.model_version
    ls = _client(labelstudio)
    project = ls.projects.create(title="serve crf", label_config=SCHEMA.xml)
    with running_backend(backend) as url:
        ml = ls.ml.create(project=project.id, url=url, title="filingkit-crf")
        hooks = [h for h in ls.webhooks.list(project=project.id) if h.url == f"{url}/webhook"]
        assert hooks and hooks[0].send_payload  # Label Studio made the ML webhook itself

        doc = document()
        (tid,) = _import(ls, project.id, [doc])
        _retrieve(ls, project.id)
        assert [p["model_version"] for p in _predictions(ls, project.id)[tid]] == [first]

        me = ls.users.whoami()
        ls.annotations.create(id=tid, result=to_results(annotations_a(), doc.text, SCHEMA),
                              completed_by=me.id)
        deadline = time.monotonic() + 60
        while backend.trainer.status()["runs"] == 0 and time.monotonic() < deadline:
            time.sleep(0.2)  # the webhook arrives, training starts in the background
        assert backend.trainer.wait(300)
        last = backend.trainer.status()["last"]
        assert last is not None and last["reason"] == "ANNOTATION_CREATED"
        assert (last["status"], last["annotated_documents"], last["sets_excluded"]) == (
            "succeeded", 1, 0)
        second = backend.model_version
        assert second != first

        # Label Studio asks /setup before predicting, records the new version and
        # fetches predictions of it for the task that only had the old one
        _retrieve(ls, project.id)
        versions = sorted(p["model_version"] for p in _predictions(ls, project.id)[tid])
        assert versions == sorted([first, second])
        assert ls.ml.get(id=ml.id).model_version == second
        listed = ls.ml.list_model_versions(id=str(ml.id))  # the model-version picker asks /versions
        versions_seen = listed["versions"] if isinstance(listed, dict) else listed.versions
        assert versions_seen == [first, second]

        # "Start Training" in the model's menu: Label Studio 1.23 posts START_TRAINING to /webhook
        ls.ml.train(id=ml.id)
        assert backend.trainer.wait(300)
        last = backend.trainer.status()["last"]
        assert last is not None and last["number"] == 2 and last["reason"] == "START_TRAINING"
        assert (last["status"], last["annotated_documents"]) == ("succeeded", 1)
        assert backend.model_version == second  # same annotations, same model


def test_start_training_reads_annotations_made_while_the_backend_was_away(
        labelstudio: Server) -> None:
    crf, gold = _small_crf()
    ls = _client(labelstudio)
    project = ls.projects.create(title="serve crf pull", label_config=SCHEMA.xml)
    doc = document()
    (tid,) = _import(ls, project.id, [doc])
    ls.annotations.create(id=tid, result=to_results(annotations_a(), doc.text, SCHEMA),
                          completed_by=ls.users.whoami().id)  # no model connected yet
    backend = Backend([crf], SCHEMA, gold=gold,
                      label_studio=connection(labelstudio.url, labelstudio.api_key))
    assert backend.trainer is not None
    first = backend.model_version
    with running_backend(backend) as url:
        ml = ls.ml.create(project=project.id, url=url, title="filingkit-crf")
        assert backend.health()["label_studio"] == labelstudio.url
        assert labelstudio.api_key not in json.dumps(backend.health())
        ls.ml.train(id=ml.id)
        assert backend.trainer.wait(300)
    last = backend.trainer.status()["last"]
    assert last is not None and last["reason"] == "START_TRAINING"
    assert (last["status"], last["annotated_documents"], last["issues"]) == ("succeeded", 1, [])
    assert backend.model_version != first

"""The ML backend's endpoints through its real ASGI app (Starlette's test client, no server).

Every endpoint with good and malformed bodies; predictions checked region by
region against the task text; retraining of the real CRF on a small real gold
(three bundled filings, a few L-BFGS iterations), including a training that
fails and leaves the served model as it was.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from filingkit.annotate.client import Connection
from filingkit.annotate.config import labeling_schema
from filingkit.annotate.regions import to_results
from filingkit.annotate.serve import Backend, config_differences
from filingkit.annotate.server import BasicAuth, create_app
from filingkit.annotate.tasks import document_data
from filingkit.errors import FilingkitError
from filingkit.extractors.cv import in_scope
from filingkit.extractors.ml import CrfExtractor
from filingkit.extractors.registry import get_extractor
from filingkit.gold.store import load_gold_dir
from filingkit.records import Annotations, Document, Entity, GoldDocument

from .builders import annotations_a, document
from .labelstudio_server import free_port

SCHEMA = labeling_schema()


def _task(doc: Document, task_id: int = 1) -> dict[str, Any]:
    return {"id": task_id, "data": document_data(doc), "project": 3}


def _predict_body(*tasks: dict[str, Any]) -> dict[str, Any]:
    return {"tasks": list(tasks), "project": "3.1700000000", "label_config": SCHEMA.xml,
            "params": {"login": None, "password": None, "context": None}}


@pytest.fixture(scope="module")
def rules_client() -> Iterator[TestClient]:
    with TestClient(create_app(Backend([get_extractor("rules")], SCHEMA))) as client:
        yield client


@pytest.fixture(scope="module")
def small_gold() -> list[GoldDocument]:
    """Three bundled gold filings whose scope covers the entities."""
    cat = SCHEMA.catalogue
    return [g for g in load_gold_dir() if in_scope(g.gold, cat.entity_labels, cat)][:3]


def _crf(gold: list[GoldDocument]) -> CrfExtractor:
    return CrfExtractor(max_iterations=5).fit([g.document for g in gold],
                                              [g.gold.annotations for g in gold])


def _annotation(doc: Document, ann: Annotations, ann_id: int = 11,
                task_id: int = 1) -> dict[str, Any]:
    return {"id": ann_id, "task": task_id, "completed_by": 1, "was_cancelled": False,
            "updated_at": "2026-12-04T21:00:00Z",
            "result": to_results(ann, doc.text, SCHEMA)}


# ------------------------------------------------------------------ health and setup


def test_health(rules_client: TestClient) -> None:
    r = rules_client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "UP"
    assert body["model_version"] == "rules@1"
    assert rules_client.get("/versions").json() == {"versions": ["rules@1"]}


def test_setup_accepts_the_catalogue_config(rules_client: TestClient) -> None:
    r = rules_client.post("/setup", json={"project": "3.17", "schema": SCHEMA.xml,
                                          "hostname": "http://localhost:8080",
                                          "access_token": "secret-token", "extra_params": None})
    assert r.status_code == 200
    assert r.json() == {"model_version": "rules@1"}


@pytest.mark.parametrize(("edit", "expected"), [
    pytest.param(lambda x: x.replace('value="ORG"', 'value="COMPANY"'),
                 ["lacks 'ORG'", "unknown to the catalogue: 'COMPANY'"], id="renamed-label"),
    pytest.param(lambda x: x.replace('name="dei_DocumentType"', 'name="doctype"'),
                 ["'dei_DocumentType' (Choices) is missing", "'doctype' (Choices) is not in"],
                 id="renamed-control"),
    pytest.param(lambda x: x[:-len("</View>")] + '<Rating name="stars" toName="text"/></View>',
                 ["'stars' (Rating) is not in the catalogue's config"], id="extra-control"),
    pytest.param(lambda x: x.replace('toName="text"', 'toName="body"', 1),
                 ["expected <Labels toName='text'>"], id="wrong-target"),
])
def test_config_differences(edit: Any, expected: list[str]) -> None:
    diffs = " | ".join(config_differences(edit(SCHEMA.xml), SCHEMA))
    for needle in expected:
        assert needle in diffs


def test_layout_changes_are_not_differences() -> None:
    relaid = SCHEMA.xml.replace('<Header value="$doc_id" />', '<Header value="Filing $doc_id"/>')
    assert relaid != SCHEMA.xml
    assert config_differences(relaid, SCHEMA) == []


@pytest.mark.parametrize(("body", "needle"), [
    pytest.param({"project": "3.1"}, "'schema' is missing", id="no-schema"),
    pytest.param({"schema": 12}, "'schema' is a int", id="schema-not-text"),
    pytest.param({"schema": "<View><Text"}, "not valid XML", id="not-xml"),
    pytest.param({"schema": SCHEMA.xml.replace('value="ORG"', 'value="COMPANY"')},
                 "does not match catalogue filingkit-8k", id="other-labels"),
])
def test_setup_refuses(rules_client: TestClient, body: dict[str, Any], needle: str) -> None:
    r = rules_client.post("/setup", json=body)
    assert r.status_code == 422
    assert needle in r.json()["error"]


# ------------------------------------------------------------------ predict


def _check_regions(result: list[dict[str, Any]], text: str) -> None:
    for region in result:
        value = region["value"]
        if "start" in value:
            assert 0 <= value["start"] < value["end"] <= len(text)
        if region["type"] == "labels":
            assert value["text"] == text[value["start"]:value["end"]]


def test_predict_one_prediction_per_task_with_checked_regions(rules_client: TestClient) -> None:
    doc = document()
    other = Document("other", "ACME Corp. announced on May 1, 2024 a merger.")
    r = rules_client.post("/predict", json=_predict_body(_task(doc, 1), _task(other, 2)))
    assert r.status_code == 200
    results = r.json()["results"]
    assert len(results) == 2
    first = results[0]
    assert first["model_version"] == "rules@1"
    assert set(first) >= {"result", "score", "model_version"}
    assert any(x["type"] == "labels" for x in first["result"])  # spans
    assert any(x["type"] in ("choices", "textarea") for x in first["result"])  # document facts
    _check_regions(first["result"], doc.text)
    _check_regions(results[1]["result"], other.text)


def test_predict_task_without_filingkit_fields(rules_client: TestClient) -> None:
    """A task imported by other tools has only data.text: it gets predictions too."""
    r = rules_client.post("/predict", json={"tasks": [{"id": 9, "data": {
        "text": "Item 8.01 Other Events. ACME Corp. signed on May 1, 2024."}}]})
    assert r.status_code == 200
    assert len(r.json()["results"]) == 1


@pytest.mark.parametrize(("body", "needle"), [
    pytest.param({"project": "3.1"}, "'tasks' is missing", id="missing-tasks"),
    pytest.param({"tasks": {"id": 1}}, "'tasks' is a dict", id="tasks-not-list"),
    pytest.param({"tasks": []}, "'tasks' is empty", id="no-tasks"),
    pytest.param({"tasks": ["x"]}, "tasks[0] is not an object", id="task-not-object"),
    pytest.param({"tasks": [{"id": 1}]}, "has no data object", id="no-data"),
    pytest.param({"tasks": [{"id": 1, "data": {"doc_id": "a"}}]}, "data.text is missing",
                 id="no-text"),
    pytest.param({"tasks": [{"id": 1, "data": {**document_data(document()),
                                               "text": document().text + " changed"}}]},
                 "text_sha256 does not match data.text", id="text-mismatch"),
    pytest.param({"tasks": [{"id": 1, "data": {"text": "abc"}}],
                  "label_config": SCHEMA.xml.replace('value="ORG"', 'value="COMPANY"')},
                 "unknown to the catalogue: 'COMPANY'", id="unknown-labels-in-config"),
    pytest.param({"tasks": [{"id": 1, "data": {"text": "abc"}}], "label_config": 3},
                 "'label_config' must be a string", id="config-not-text"),
])
def test_predict_refuses(rules_client: TestClient, body: dict[str, Any], needle: str) -> None:
    r = rules_client.post("/predict", json=body)
    assert r.status_code == 422, r.text
    assert needle in r.json()["error"]
    assert "Traceback" not in r.text


@pytest.mark.parametrize(("content", "needle"), [
    pytest.param(b"{not json", "the body is not JSON: line 1 column 2", id="bad-json"),
    pytest.param(b"[1, 2]", "JSON list, expected an object", id="json-array"),
    pytest.param(b"", "no body", id="empty"),
    pytest.param(b"\xff\xfe{}", "not UTF-8 JSON", id="not-utf8"),
])
def test_bad_bodies_are_400(rules_client: TestClient, content: bytes, needle: str) -> None:
    for path in ("/predict", "/setup", "/webhook", "/train"):
        r = rules_client.post(path, content=content,
                              headers={"content-type": "application/json"})
        assert r.status_code == 400, (path, r.text)
        assert needle in r.json()["error"]


def test_oversize_bodies_are_413() -> None:
    app = create_app(Backend([get_extractor("rules")], SCHEMA), max_body=1000)
    with TestClient(app) as client:
        big = json.dumps(_predict_body(_task(document()))).encode()
        r = client.post("/predict", content=big, headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert "exceeds the limit of 1000 bytes" in r.json()["error"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the stream itself is cut
            for i in range(0, len(big), 500):
                yield big[i:i + 500]

        r = client.post("/predict", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert client.get("/health").status_code == 200


def test_unknown_route_and_method(rules_client: TestClient) -> None:
    assert rules_client.get("/nope").status_code == 404
    r = rules_client.get("/predict")
    assert r.status_code == 405
    assert "error" in r.json()


class _Sloppy:
    """A plugin that emits what Label Studio cannot show: unknown labels, offsets past the end."""

    name = "sloppy"
    version = "1"
    fields = ("ORG", "NOPE", "PERSON")

    def extract(self, document: Document) -> Annotations:
        t = document.text
        return Annotations(document.doc_id, (
            Entity("ORG", 0, 4, t[0:4]),
            Entity("NOPE", 0, 4, t[0:4]),
            Entity("PERSON", len(t) - 2, len(t) + 5),
        ))


def test_invalid_regions_are_left_out_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(create_app(Backend([_Sloppy()], SCHEMA))) as client:
        r = client.post("/predict", json=_predict_body(_task(document())))
    assert r.status_code == 200
    (pred,) = r.json()["results"]
    assert [x["value"]["labels"] for x in pred["result"]] == [["ORG"]]
    assert "label 'NOPE' is not in the config's label labels" in caplog.text
    assert "ends past the text" in caplog.text


class _Broken:
    name = "broken"
    version = "1"
    fields = ("ORG",)

    def extract(self, document: Document) -> Annotations:
        raise RuntimeError("model file vanished at /secret/path")


def test_unexpected_errors_are_500_without_traceback() -> None:
    with TestClient(create_app(Backend([_Broken()], SCHEMA)), raise_server_exceptions=False) as c:
        r = c.post("/predict", json=_predict_body(_task(document())))
    assert r.status_code == 500
    assert r.json() == {"error": "internal error (RuntimeError); see the server log"}


def test_fields_come_from_the_first_extractor_declaring_them() -> None:
    backend = Backend([_Sloppy(), get_extractor("rules")], SCHEMA)
    assert backend.model_version == "sloppy@1+rules@1"
    (pred,) = backend.predict(_predict_body(_task(document())))["results"]
    orgs = [x for x in pred["result"] if x["value"].get("labels") == ["ORG"]]
    assert [(x["value"]["start"], x["value"]["end"]) for x in orgs] == [(0, 4)]  # sloppy's only
    assert any(x["from_name"] == "dei_DocumentType" for x in pred["result"])  # rules' facts


# ------------------------------------------------------------------ auth


def _basic(user: str, password: str) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.parametrize(("headers", "status"), [
    pytest.param({}, 401, id="none"),
    pytest.param(_basic("ls", "wrong"), 401, id="wrong-password"),
    pytest.param(_basic("other", "s3cret:pw"), 401, id="wrong-user"),
    pytest.param({"authorization": "Basic ???"}, 401, id="not-base64"),
    pytest.param({"authorization": "Bearer abc"}, 401, id="other-scheme"),
    pytest.param(_basic("ls", "s3cret:pw"), 200, id="right"),
])
def test_basic_auth(headers: dict[str, str], status: int) -> None:
    auth = BasicAuth("ls", "s3cret:pw")
    assert "s3cret" not in repr(auth)
    with TestClient(create_app(Backend([get_extractor("rules")], SCHEMA), auth=auth)) as c:
        for r in (c.get("/health", headers=headers),
                  c.post("/setup", json={"schema": SCHEMA.xml}, headers=headers)):
            assert r.status_code == status
            if status == 401:
                assert r.headers["www-authenticate"].startswith("Basic")
                assert "s3cret" not in r.text


# ------------------------------------------------------------------ webhook and training


@pytest.mark.parametrize(("body", "needle"), [
    pytest.param({"project": {"id": 3}}, "'action' is missing", id="no-action"),
    pytest.param({"action": "ANNOTATION_CREATED", "annotation": [], "task": {}},
                 "needs 'annotation' and 'task' objects", id="annotation-not-object"),
    pytest.param({"action": "ANNOTATIONS_CREATED", "annotation": [{"id": 1, "task": 5}],
                  "task": [{"id": 6}]}, "names no task of the payload", id="orphan-annotation"),
    pytest.param({"action": "ANNOTATIONS_DELETED", "annotations": 3}, "must be a list",
                 id="deleted-not-list"),
])
def test_webhook_refuses(rules_client: TestClient, body: dict[str, Any], needle: str) -> None:
    r = rules_client.post("/webhook", json=body)
    assert r.status_code == 422
    assert needle in r.json()["error"]


def test_webhook_without_a_trainable_extractor(rules_client: TestClient) -> None:
    doc = document()
    r = rules_client.post("/webhook", json={"action": "ANNOTATION_CREATED",
                                            "annotation": _annotation(doc, annotations_a()),
                                            "task": _task(doc), "project": {"id": 3}})
    assert r.status_code == 200
    assert r.json()["training"] == "no trainable extractor served"
    r = rules_client.post("/webhook", json={"action": "PROJECT_UPDATED", "project": {"id": 3}})
    assert r.json()["status"] == "ignored"


def test_annotation_retrains_and_changes_the_model_version(small_gold: list[GoldDocument]
                                                           ) -> None:
    backend = Backend([_crf(small_gold)], SCHEMA, gold=small_gold, background=False)
    before = backend.model_version
    assert before.startswith("ml@1-")
    doc = document()
    out = backend.webhook({"action": "ANNOTATION_CREATED", "project": {"id": 3},
                           "annotation": _annotation(doc, annotations_a()), "task": _task(doc)})
    assert out["training"] == "done"
    after = backend.model_version
    assert after != before and after.startswith("ml@1-")
    last = backend.health()["training"]["last"]
    assert (last["status"], last["annotated_documents"], last["gold_documents"]) == (
        "succeeded", 1, len(small_gold))
    (pred,) = backend.predict(_predict_body(_task(doc)))["results"]
    assert pred["model_version"] == after
    assert backend.versions()["versions"] == [before, after]
    # the same annotation again: same data, same model, same version
    backend.webhook({"action": "ANNOTATION_UPDATED", "project": {"id": 3},
                     "annotation": _annotation(doc, annotations_a()), "task": _task(doc)})
    assert backend.model_version == after


def test_bad_regions_are_reported_and_their_set_left_out(small_gold: list[GoldDocument]) -> None:
    backend = Backend([_crf(small_gold)], SCHEMA, gold=small_gold, background=False)
    doc = document()
    ann = _annotation(doc, annotations_a())
    ann["result"].append({"id": "zz", "from_name": "label", "to_name": "text", "type": "labels",
                          "value": {"start": 5, "end": len(doc.text) + 10, "labels": ["ORG"]}})
    backend.webhook({"action": "ANNOTATION_CREATED", "project": {"id": 3}, "annotation": ann,
                     "task": _task(doc)})
    last = backend.health()["training"]["last"]
    assert last["status"] == "succeeded"
    assert (last["annotated_documents"], last["sets_excluded"]) == (0, 1)
    assert any("ends past the text" in i and "(zz)" in i for i in last["issues"])


def test_failed_training_keeps_serving_the_old_model(small_gold: list[GoldDocument]) -> None:
    crf = _crf(small_gold)
    backend = Backend([crf], SCHEMA, gold=small_gold, background=False)
    before = backend.model_version
    doc = small_gold[0].document
    served = backend.predict(_predict_body(_task(doc)))["results"]
    crf.c1 = -1.0  # the clone refitted from these parameters refuses them
    backend.webhook({"action": "START_TRAINING", "project": {"id": 3}})
    last = backend.health()["training"]["last"]
    assert last["status"] == "failed"
    assert "c1 must be a number >= 0" in last["error"]
    assert backend.model_version == before
    assert backend.predict(_predict_body(_task(doc)))["results"] == served


def test_background_training_over_http(small_gold: list[GoldDocument]) -> None:
    backend = Backend([_crf(small_gold)], SCHEMA, gold=small_gold)
    before = backend.model_version
    doc = document()
    task = {**_task(doc), "annotations": [_annotation(doc, annotations_a())]}
    with TestClient(create_app(backend)) as client:
        r = client.post("/train", json={"annotations": [task], "project": "3.17",
                                        "label_config": SCHEMA.xml})
        assert r.status_code == 201
        assert r.json()["training"] == "scheduled"
        assert client.get("/health").status_code == 200  # answers while training
        assert backend.trainer is not None and backend.trainer.wait(120)
        health = client.get("/health").json()
    assert health["training"]["last"]["status"] == "succeeded"
    assert health["model_version"] != before
    # deleting the annotation retrains on the gold alone: the first model again
    backend.webhook({"action": "ANNOTATIONS_DELETED", "project": {"id": 3},
                     "annotations": [{"id": 11}]})
    assert backend.trainer.wait(120)
    assert backend.model_version == before


def test_state_dir_keeps_annotations_across_restarts(small_gold: list[GoldDocument],
                                                     tmp_path: Path) -> None:
    crf = _crf(small_gold)
    first = Backend([crf], SCHEMA, gold=small_gold, background=False, state_dir=tmp_path)
    doc = document()
    first.webhook({"action": "ANNOTATION_CREATED", "project": {"id": 3},
                   "annotation": _annotation(doc, annotations_a()), "task": _task(doc)})
    trained = first.model_version
    assert (tmp_path / "annotations.json").is_file()
    restarted = Backend([crf], SCHEMA, gold=small_gold, background=False, state_dir=tmp_path)
    assert restarted.model_version == trained  # retrained on the restored annotation
    assert restarted.health()["training"]["annotations"] == 1


def test_state_dir_refuses_a_foreign_file(small_gold: list[GoldDocument], tmp_path: Path) -> None:
    (tmp_path / "annotations.json").write_text('{"tasks": []}')
    with pytest.raises(FilingkitError, match="not a filingkit-serve-annotations file"):
        Backend([_crf(small_gold)], SCHEMA, gold=small_gold, state_dir=tmp_path)


def test_start_training_when_label_studio_is_unreachable(small_gold: list[GoldDocument]
                                                         ) -> None:
    """The annotations cannot be read again: trained on the webhooks' copy, and said so."""
    nowhere = Connection(f"http://127.0.0.1:{free_port()}", "key-that-must-not-leak")
    backend = Backend([_crf(small_gold)], SCHEMA, gold=small_gold, background=False,
                      label_studio=nowhere)
    backend.webhook({"action": "START_TRAINING", "project": {"id": 3}})
    last = backend.health()["training"]["last"]
    assert last["status"] == "succeeded"
    (issue,) = last["issues"]
    assert "project 3: annotations not read from Label Studio" in issue
    assert "key-that-must-not-leak" not in json.dumps(backend.health())

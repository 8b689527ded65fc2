"""End to end against a real Label Studio server (fixture ``labelstudio`` in conftest).

Config -> tasks with pre-annotations -> push -> two users annotate through the
API -> pull (snapshot) -> import -> agreement -> adjudicate -> review project
-> reviewer's resolution -> adjudicated gold. Deselect with ``-m "not labelstudio"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk import LabelStudio

from filingkit.annotate.agreement import agreement
from filingkit.annotate.client import connection, pull, push
from filingkit.annotate.config import labeling_schema
from filingkit.annotate.regions import to_results
from filingkit.cli import main
from filingkit.gold.store import load_gold_file
from filingkit.gold.validate import validate_gold_dir
from filingkit.serialize import write_predictions

from .builders import DOC_ID, FILING_TEXT, annotations_a, annotations_b
from .labelstudio_server import Server

pytestmark = pytest.mark.labelstudio


def _user(ls: Any, name: str) -> Any:
    org = ls.users.whoami().active_organization
    return ls.users.create(username=name, email=f"{name}@example.com",
                           password=f"{name}-test-only-pw", active_organization=org)


def _project(ls: Any, title: str) -> Any:
    (p,) = [p for p in ls.projects.list(title=title) if p.title == title]
    return p


def _env(monkeypatch: pytest.MonkeyPatch, server: Server) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", server.api_key)


def test_annotate_round_trip(labelstudio: Server, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    _env(monkeypatch, labelstudio)
    ls = LabelStudio(base_url=labelstudio.url, api_key=labelstudio.api_key)
    schema = labeling_schema()

    # 1. tasks from a filing folder, with an extractor's output as pre-annotations
    filing = tmp_path / "filings" / DOC_ID
    filing.mkdir(parents=True)
    (filing / "text.txt").write_bytes(FILING_TEXT.encode("utf-8"))
    preds = tmp_path / "rules.jsonl"
    write_predictions(preds, [annotations_a()])
    tasks = tmp_path / "tasks.json"
    assert main(["annotate", "export", str(filing), "--predictions", f"{preds}=rules@1",
                 "-o", str(tasks)]) == 0

    # 2. push: project from the generated config, model version set so predictions show
    assert main(["annotate", "push", str(tasks), "--project", "e2e", "--annotators", "2"]) == 0
    project = ls.projects.get(id=_project(ls, "e2e").id)
    assert project.model_version == "rules@1"
    assert project.label_config.strip() == schema.xml.strip()
    assert project.maximum_annotations == 2
    (task,) = list(ls.tasks.list(project=project.id, fields="all"))
    assert len(task.predictions) == 1
    # pushing again imports nothing twice
    assert main(["annotate", "push", str(tasks), "--project", "e2e"]) == 0
    assert "0 tasks imported, 1 already there" in capsys.readouterr().out
    assert ls.projects.get(id=project.id).maximum_annotations == 2  # kept when not given

    # 3. two different users annotate through the API
    me = ls.users.whoami()
    b = _user(ls, "e2e-b")
    ls.annotations.create(id=task.id, result=to_results(annotations_a(), FILING_TEXT, schema),
                          completed_by=me.id)
    ls.annotations.create(id=task.id, result=to_results(annotations_b(), FILING_TEXT, schema),
                          completed_by=b.id)

    # 4. pull: the snapshot export has annotators' e-mails and prediction bodies
    export = tmp_path / "export.json"
    assert main(["annotate", "pull", "--project", "e2e", "-o", str(export)]) == 0
    data = json.loads(export.read_text(encoding="utf-8"))
    (exported,) = data
    assert {a["completed_by"]["email"] for a in exported["annotations"]} == {
        me.email, "e2e-b@example.com"}
    assert exported["predictions"][0]["model_version"] == "rules@1"
    assert exported["predictions"][0]["result"]

    # 5. import: one annotation set per annotator, valid gold
    gold = tmp_path / "gold"
    assert main(["annotate", "import", str(export), "-o", str(gold)]) == 0
    assert sorted(p.name for p in (gold / DOC_ID / "annotations").iterdir()) == [
        f"{me.email}.json", "e2e-b@example.com.json"]
    assert validate_gold_dir(gold) == []

    # 6. agreement: the same numbers as on the hand-made sets
    report = agreement(gold)
    assert report.annotators == ("admin@example.com", "e2e-b@example.com")
    assert report.overall["facts"].f1 == pytest.approx(18 / 21)
    assert (report.overall["entities_strict"].tp, report.overall["entities_overlap"].tp) == (5, 6)
    assert main(["annotate", "agreement", str(gold), "--json", str(tmp_path / "agr.json")]) == 0

    # 7. adjudicate: disputes queued, review tasks pushed to a review project
    review = tmp_path / "review.json"
    queue = tmp_path / "queue.json"
    assert main(["annotate", "adjudicate", str(gold), "--queue", str(queue),
                 "--review-tasks", str(review)]) == 0
    assert not (gold / DOC_ID / "gold.json").exists()
    conn = connection()
    pushed = push(conn, json.loads(review.read_text(encoding="utf-8")), project="e2e-review",
                  label_config=schema.xml)
    assert pushed.model_version == "adjudication:agreed" and pushed.imported == 1

    # 8. a reviewer settles the disputes; their set becomes the adjudicated gold
    reviewer = _user(ls, "e2e-reviewer")
    ls.annotations.create(id=pushed.task_ids[0],
                          result=to_results(annotations_a(), FILING_TEXT, schema),
                          completed_by=reviewer.id)
    review_export = tmp_path / "review-export.json"
    from filingkit.annotate.client import write_export

    write_export(review_export, pull(conn, project="e2e-review"))
    assert main(["annotate", "import", str(review_export), "-o", str(gold)]) == 0
    assert main(["annotate", "adjudicate", str(gold), "--resolved-by",
                 "e2e-reviewer@example.com"]) == 0
    g = load_gold_file(gold / DOC_ID / "gold.json").gold
    assert g.status == "adjudicated"
    assert {e.label for e in g.entities} == {e.label for e in annotations_a().entities}
    assert validate_gold_dir(gold) == []
    # the reviewer is not an annotator in agreement when excluded
    assert agreement(gold, exclude=["e2e-reviewer@example.com"]).annotators == report.annotators

    # the API key appears in no output and no file written
    out = capsys.readouterr()
    assert labelstudio.api_key not in out.out + out.err
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert labelstudio.api_key.encode() not in path.read_bytes(), path


def test_pull_unknown_project_and_bad_key(labelstudio: Server) -> None:
    from filingkit.annotate.client import LabelStudioError

    with pytest.raises(LabelStudioError, match="no project titled"):
        pull(connection(labelstudio.url, labelstudio.api_key), project="no-such-project")
    with pytest.raises(LabelStudioError, match="HTTP 401") as exc:
        pull(connection(labelstudio.url, "f" * 40), project="e2e")
    assert "f" * 40 not in str(exc.value)

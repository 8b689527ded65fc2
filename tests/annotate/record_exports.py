"""Record the Label Studio export files of ``tests/data/labelstudio`` from a real server.

Run ``.venv/bin/python tests/annotate/record_exports.py`` to regenerate them:
it starts a throwaway server (see ``labelstudio_server``), creates the
projects and users below through the SDK, posts annotations as two
annotators, and saves snapshot exports exactly as the server returns them
(plus the plain JSON export, which carries annotator ids only).

- ``export-snapshot.json``: seed 000 annotated by admin@example.com and
  ann-b@example.com (with a cancelled annotation by ann-b and a prediction),
  and a short text with emoji, accents and CRLF line ends whose ORG region has
  the whitespace-collapsed ``value.text`` Label Studio's UI produces;
- ``export-plain.json``: the same project through the plain JSON export;
- ``export-bad.json``: regions the server accepts but gold must not: offsets past
  the end, an unknown label, an unknown control, a span text that is not the
  text at its offsets, and an unparseable check box value.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "labelstudio"

EMOJI_TEXT = "🚀 Rocket  Corp. (Nasdaq: RCKT) — Café\r\nCEO:\tJane Q. Public ☕\r\nAustin, TX\r\n"


def _tasks() -> tuple[list[dict[str, Any]], Any, Any]:
    from filingkit.annotate.config import labeling_schema
    from filingkit.annotate.tasks import build_tasks
    from filingkit.records import Document, Provenance

    sys.path.insert(0, str(HERE))
    import builders as c

    schema = labeling_schema()
    seed = c.document()
    emoji = Document("emoji-crlf", EMOJI_TEXT, provenance=Provenance("user", "emoji.txt"))
    tasks = build_tasks([seed, emoji], schema,
                        predictions={"fixture@1": [c.annotations_a()]})
    return tasks, schema, c


def record(url: str, api_key: str) -> None:
    """Create the projects on the server at ``url`` and write the export files."""
    from label_studio_sdk import LabelStudio

    from filingkit.annotate.client import connection, pull, push
    from filingkit.annotate.regions import to_results
    from filingkit.jsonio import write_json_atomic
    from filingkit.records import Annotations, Entity

    tasks, schema, c = _tasks()
    conn = connection(url, api_key)
    ls = LabelStudio(base_url=url, api_key=api_key)
    me = ls.users.whoami()
    b = ls.users.create(username="ann-b", email="ann-b@example.com",
                        password="test-only-password-b", active_organization=me.active_organization)

    good = push(conn, tasks, project="recorded-good", label_config=schema.xml, annotators=2)
    seed_id, emoji_id = good.task_ids
    text = c.FILING_TEXT
    ls.annotations.create(id=seed_id, result=to_results(c.annotations_a(), text, schema),
                          completed_by=me.id)
    ls.annotations.create(id=seed_id, result=[], completed_by=b.id, was_cancelled=True)
    ls.annotations.create(id=seed_id, result=to_results(c.annotations_b(), text, schema),
                          completed_by=b.id)
    s = EMOJI_TEXT.index("Rocket")
    e = EMOJI_TEXT.index(" (Nasdaq")
    p = EMOJI_TEXT.index("Jane")
    emoji_ann = Annotations("emoji-crlf", (Entity("ORG", s, e), Entity("PERSON", p, p + 14),
                                           Entity("TICKER", EMOJI_TEXT.index("RCKT"),
                                                  EMOJI_TEXT.index("RCKT") + 4)))
    result = to_results(emoji_ann, EMOJI_TEXT, schema)
    result[0]["value"]["text"] = "Rocket Corp."  # what the UI stores: white space collapsed
    ls.annotations.create(id=emoji_id, result=result, completed_by=me.id)
    write_json_atomic(DATA / "export-snapshot.json", pull(conn, project=good.project_id))
    write_json_atomic(DATA / "export-plain.json", ls.projects.exports.as_json(good.project_id))

    bad = push(conn, tasks[:1], project="recorded-bad", label_config=schema.xml)
    (bad_id,) = bad.task_ids
    n = len(text)
    regions = to_results(c.annotations_a(), text, schema)[:2]  # two good regions
    regions += [
        {"id": "past-end", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": n - 3, "end": n + 5, "text": "xyz", "labels": ["ORG"]}},
        {"id": "unknown-label", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 6, "text": text[0:6], "labels": ["COMPANY"]}},
        {"id": "unknown-control", "from_name": "sentiment", "to_name": "text",
         "type": "choices", "value": {"choices": ["positive"]}},
        {"id": "wrong-text", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 6, "text": "NOTTHIS", "labels": ["ORG"]}},
        {"id": "bad-date", "from_name": "dei_DocumentPeriodEndDate", "to_name": "text",
         "type": "datetime", "value": {"datetime": "the ides of March"}},
    ]
    ls.annotations.create(id=bad_id, result=regions, completed_by=me.id)
    write_json_atomic(DATA / "export-bad.json", pull(conn, project=bad.project_id))


def main() -> int:
    sys.path.insert(0, str(HERE))
    from labelstudio_server import running_server

    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as server:
        record(server.url, server.api_key)
    return 0


if __name__ == "__main__":
    sys.exit(main())

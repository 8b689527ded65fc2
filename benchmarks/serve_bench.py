"""ML backend latency: ``POST /predict`` for one typical filing and for a batch of 20.

Usage (from the repository root)::

    .venv/bin/python benchmarks/serve_bench.py [--repeat 5] [--json OUT]

Two backends run side by side in this process, each under uvicorn on its own
port of 127.0.0.1, called over real HTTP with the body Label Studio 1.23 sends
(tasks, project, label_config, params):

- ``rules``;
- ``ml`` (the CRF, default parameters), trained on the entity-scoped filings of
  the bundled gold's **dev** split; the filings predicted come from the
  **test** split, so the model never sees them in training.

"One typical filing" is the test filing of median length; the batch is 20
test filings. Calls alternate between the two backends, ``--repeat`` times
after one untimed warm-up; the median is reported, and the ratio ml / rules.
Then a retraining (``START_TRAINING``) is started on the ``ml`` backend and
``/health`` is timed while it runs: Label Studio gives health one second.

Times are wall-clock on whatever else the machine is doing: compare the
ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from filingkit.annotate.config import labeling_schema
from filingkit.annotate.serve import Backend
from filingkit.annotate.server import create_app
from filingkit.annotate.tasks import document_data
from filingkit.extractors.cv import in_scope
from filingkit.extractors.ml import CrfExtractor
from filingkit.extractors.registry import get_extractor
from filingkit.gold.store import bundled_gold_dir, load_gold_dir, load_split


@contextmanager
def running(backend: Backend) -> Iterator[int]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(backend), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(15)


def call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[float, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers={"content-type": "application/json"})
    resp = conn.getresponse()
    data = json.loads(resp.read())
    seconds = time.perf_counter() - t0
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"{path}: HTTP {resp.status}: {data}")
    return seconds, data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()

    schema = labeling_schema()
    cat = schema.catalogue
    root = bundled_gold_dir()
    dev, test = load_split(root, "dev"), load_split(root, "test")
    gold = load_gold_dir(root)
    train = [g for g in gold if g.doc_id in dev and in_scope(g.gold, cat.entity_labels, cat)]
    probe = sorted((g.document for g in gold if g.doc_id in test), key=lambda d: len(d.text))
    typical = probe[len(probe) // 2]
    batch = probe[::max(1, len(probe) // 20)][:20]

    t0 = time.perf_counter()
    crf = CrfExtractor().fit([g.document for g in train], [g.gold.annotations for g in train])
    fit_seconds = time.perf_counter() - t0

    def body(docs: list[Any]) -> bytes:
        tasks = [{"id": i + 1, "data": document_data(d), "project": 1} for i, d in enumerate(docs)]
        return json.dumps({"tasks": tasks, "project": "1.1700000000",
                           "label_config": schema.xml,
                           "params": {"login": None, "password": None, "context": None}}).encode()

    one, twenty = body([typical]), body(batch)
    times: dict[str, dict[str, list[float]]] = {"rules": {"one": [], "twenty": []},
                                                "ml": {"one": [], "twenty": []}}
    ml_backend = Backend([crf], schema, gold=train)
    with running(Backend([get_extractor("rules")], schema)) as rules_port, \
            running(ml_backend) as ml_port:
        ports = {"rules": rules_port, "ml": ml_port}
        for port in ports.values():  # warm-up
            call(port, "POST", "/predict", one)
        for _ in range(args.repeat):
            for name, port in ports.items():
                times[name]["one"].append(call(port, "POST", "/predict", one)[0])
                times[name]["twenty"].append(call(port, "POST", "/predict", twenty)[0])
        call(ml_port, "POST", "/webhook", json.dumps({"action": "START_TRAINING"}).encode())
        health: list[float] = []
        assert ml_backend.trainer is not None
        while ml_backend.trainer.training:
            health.append(call(ml_port, "GET", "/health")[0])
            time.sleep(0.2)
        ml_backend.trainer.wait()
        retrain = ml_backend.trainer.status()["last"]

    med = {n: {k: statistics.median(v) for k, v in t.items()} for n, t in times.items()}
    out = {
        "typical_filing": {"doc_id": typical.doc_id, "characters": len(typical.text)},
        "batch": {"filings": len(batch), "characters": sum(len(d.text) for d in batch)},
        "repeat": args.repeat,
        "median_seconds": med,
        "ratio_ml_over_rules": {k: med["ml"][k] / med["rules"][k] for k in ("one", "twenty")},
        "crf_fit_seconds": fit_seconds, "crf_train_documents": len(train),
        "retrain_seconds": retrain["seconds"] if retrain else None,
        "health_during_training": {"calls": len(health),
                                   "max_seconds": max(health) if health else None,
                                   "median_seconds": statistics.median(health) if health
                                   else None},
    }
    print(json.dumps(out, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()

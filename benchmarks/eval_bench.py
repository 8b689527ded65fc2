"""Benchmark the evaluator against nervaluate on a generated corpus (a script, not a test).

    .venv/bin/python benchmarks/eval_bench.py                       # whole CLI: 100k, 300k, 1M, 10M
    .venv/bin/python benchmarks/eval_bench.py --spans 100000,300000 # a quicker run
    .venv/bin/python benchmarks/eval_bench.py --parts --docs 10000  # the in-process parts
    .venv/bin/python benchmarks/eval_bench.py --json out.json

Default mode (``--spans``): the whole ``filingkit eval`` command, as a user
runs it. For each size the gold and predictions are written as
predictions-format JSONL files (spans only, as issue 11 measured), then
``filingkit eval --gold gold.jsonl --pred pred.jsonl --format json -o
report.json`` (default settings: 1,000 bootstrap resamples) runs in a
subprocess, timed by wall clock, its peak RSS from ``os.wait4``; side by side
in the same run, nervaluate 1.2.1's in-process ``Evaluator.evaluate()`` on the
same spans (its input built before the clock starts, its peak RSS growth
measured as below). Strict overall numbers of the two must be identical.
nervaluate is skipped above ``--nervaluate-max`` spans (default 1,000,000:
at 10M it takes many minutes).

``--parts`` mode measures the pieces in process:

The corpus is generated from a seed: per document 100 gold spans (12 labels,
no two overlapping, as a tagger would produce) and as many predictions (80%
exact copies, 7% with a boundary moved inwards, 5% with another label, 8%
replaced by a spurious span in the gap after the gold span), plus 50 fact fields
(codes, names, dates, money, booleans; ten of them multi-valued).

Each measurement runs in a fresh child process, which builds its own input
first and loads its libraries; time is wall-clock (``perf_counter``) of the
evaluation alone, peak memory the growth of the child's peak RSS over its RSS
just before the evaluation (the kernel's peak mark is reset there). Measured:

- ``filingkit spans``: ``SpanArrays.build`` + ``evaluate_spans`` (all four
  schemes, label-agnostic and per label) + per-label counts, from arrays;
- ``nervaluate``: ``Evaluator(...).evaluate()`` (all four schemes, overall
  and per tag), from its list-of-dicts input;
- ``filingkit bootstrap``: 1,000 BCa resamples of every unit (62 fields,
  5 groups, micro) over the documents;
- ``filingkit evaluate``: the whole ``filingkit.eval.evaluate`` (entities,
  facts, errors with context, intervals) from ``Annotations`` records.

Strict numbers (COR, possible, actual, P, R, F1, overall and per label) of
filingkit and nervaluate are compared and must be identical.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
N_LABELS = 12
SPANS_PER_DOC = 100
N_FACT_FIELDS = 50


# ------------------------------------------------------------------ corpus


def spans(n_docs: int, seed: int) -> dict[str, IntArray]:
    """Gold and predicted spans as flat arrays (doc, start, end, label)."""
    rng = np.random.default_rng(seed)
    n = n_docs * SPANS_PER_DOC
    doc = np.repeat(np.arange(n_docs), SPANS_PER_DOC)
    length = rng.integers(1, 30, n)
    gap = rng.integers(4, 120, n)
    step = (length + gap).reshape(n_docs, SPANS_PER_DOC)
    start = (np.cumsum(step, axis=1) - step).ravel() + gap  # a gap before each span
    end = start + length
    label = rng.integers(0, N_LABELS, n)
    r = rng.random(n)
    p_start, p_end, p_label = start.copy(), end.copy(), label.copy()
    shift = (r >= 0.80) & (r < 0.87) & (length > 2)
    p_start[shift] += 1
    relabel = (r >= 0.87) & (r < 0.92)
    p_label[relabel] = (label[relabel] + 1 + rng.integers(0, N_LABELS - 1, relabel.sum())) % N_LABELS
    spurious = r >= 0.92  # moved into the gap that follows the gold span
    nxt = np.roll(start.reshape(n_docs, SPANS_PER_DOC), -1, axis=1).ravel()
    nxt[(np.arange(n) % SPANS_PER_DOC) == SPANS_PER_DOC - 1] = end[
        (np.arange(n) % SPANS_PER_DOC) == SPANS_PER_DOC - 1] + 100
    p_start[spurious] = end[spurious] + 1
    p_end[spurious] = np.minimum(p_start[spurious] + 2, nxt[spurious] - 1)
    p_label[spurious] = rng.integers(0, N_LABELS, spurious.sum())
    return {"doc": doc, "gs": start, "ge": end, "gl": label,
            "ps": p_start, "pe": p_end, "pl": p_label}


def catalogue_toml() -> str:
    """The shipped entity labels plus 50 synthetic fact fields of mixed types."""
    from importlib import resources

    from filingkit.catalogue import DEFAULT_CATALOGUE

    base = (resources.files("filingkit") / "data" / DEFAULT_CATALOGUE).read_text("utf-8")
    head = base.split("# ---------------------------------------------------------------- cover")[0]
    kinds = [("code", "text", "exact")] * 20 + [("name", "name", "name")] * 10 + [
        ("date", "date", "exact")] * 10 + [("money", "money", "numeric")] * 5 + [
        ("bool", "bool", "exact")] * 5
    out = [head]
    for i, (typ, norm, match) in enumerate(kinds):
        out.append(
            f'[[fields]]\nname = "bench:F{i:02d}"\nkind = "fact"\ngroup = '
            f'"{["cover", "structure", "financial", "events"][i % 4]}"\ntype = "{typ}"\n'
            f'cardinality = "{"many" if i % 5 == 0 else "one"}"\nnormalizer = "{norm}"\n'
            f'match = "{match}"\nguideline = "synthetic"\n'
        )
    return "\n".join(out)


def fact_values(n_docs: int, seed: int) -> tuple[list[list[tuple[str, Any]]], list[list[tuple[str, Any]]]]:
    """Gold and predicted facts per document: 85% right (often written differently)."""
    rng = np.random.default_rng(seed + 1)
    kinds = ["code"] * 20 + ["name"] * 10 + ["date"] * 10 + ["money"] * 5 + ["bool"] * 5
    gold: list[list[tuple[str, Any]]] = [[] for _ in range(n_docs)]
    pred: list[list[tuple[str, Any]]] = [[] for _ in range(n_docs)]
    rnd = rng.random((n_docs, N_FACT_FIELDS, 3))
    ints = rng.integers(0, 10_000, (n_docs, N_FACT_FIELDS, 3))
    for d in range(n_docs):
        for f, kind in enumerate(kinds):
            name = f"bench:F{f:02d}"
            for k in range(3 if f % 5 == 0 else 1):
                g: Any
                p: Any
                wrong: Any
                v = int(ints[d, f, k])
                r = rnd[d, f, k]
                if kind == "code":
                    g, p, wrong = f"C{v}", f"C{v}", f"C{v + 1}"
                elif kind == "name":
                    g, p, wrong = f"Company {v}, Inc.", f"COMPANY {v} INC", f"Company {v + 7}"
                elif kind == "date":
                    g = f"20{v % 20:02d}-{v % 12 + 1:02d}-{v % 28 + 1:02d}"
                    p, wrong = g, f"20{v % 20:02d}-{v % 12 + 1:02d}-{(v + 1) % 28 + 1:02d}"
                elif kind == "money":
                    g = {"value": v * 1000, "unit": "USD", "decimals": -3}
                    p = {"value": v * 1000 + 200, "unit": "USD", "decimals": 0}
                    wrong = {"value": v * 1000 + 9000, "unit": "USD", "decimals": -3}
                else:
                    g = p = bool(v % 2)
                    wrong = not g
                gold[d].append((name, g))
                if r < 0.85:
                    pred[d].append((name, p))
                elif r < 0.95:
                    pred[d].append((name, wrong))
    return gold, pred


# ------------------------------------------------------------------ measured runs


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{key} not in /proc/self/status")


def _measure(fn: Any, *args: Any) -> tuple[float, float, Any]:
    """Wall time and peak RSS growth (MB) of ``fn(*args)``.

    The kernel's peak-RSS mark is reset first (``/proc/self/clear_refs``), so
    the peak is that of the evaluation, not of building its input.
    """
    import gc

    gc.collect()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before = _status_kb("VmRSS")
    t0 = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - t0
    peak = _status_kb("VmHWM")
    return seconds, max(0.0, (peak - before) / 1024), result


def run_filingkit_spans(n_docs: int, seed: int) -> dict[str, Any]:
    from filingkit.eval.spans import SpanArrays, evaluate_spans

    a = spans(n_docs, seed)

    def work() -> dict[str, Any]:
        g = SpanArrays.build(a["doc"], a["gs"], a["ge"], a["gl"])
        p = SpanArrays.build(a["doc"], a["ps"], a["pe"], a["pl"])
        ev = evaluate_spans(g, p)
        overall = {s: ev.counts(s, per_label=False).to_dict()
                   for s in ("strict", "exact", "partial", "type")}
        labels = [c.to_dict() for c in ev.label_counts("strict", N_LABELS)]
        for s in ("partial", "type"):
            ev.label_counts(s, N_LABELS)
        return {"overall": overall, "labels": labels}

    seconds, mb, out = _measure(work)
    return {"seconds": seconds, "peak_mb": mb, **out}


def run_nervaluate(n_docs: int, seed: int) -> dict[str, Any]:
    from nervaluate import Evaluator

    a = spans(n_docs, seed)
    tags = [f"L{i}" for i in range(N_LABELS)]

    def docs(s: IntArray, e: IntArray, lab: IntArray) -> list[list[dict[str, Any]]]:
        out: list[list[dict[str, Any]]] = [[] for _ in range(n_docs)]
        for d, s_, e_, l_ in zip(a["doc"].tolist(), s.tolist(), e.tolist(), lab.tolist(),
                                 strict=True):
            out[d].append({"label": tags[l_], "start": s_, "end": e_ - 1})  # inclusive end
        return out

    true, pred = docs(a["gs"], a["ge"], a["gl"]), docs(a["ps"], a["pe"], a["pl"])

    def work() -> dict[str, Any]:
        res = Evaluator(true, pred, tags=tags, loader="dict").evaluate()
        overall = {
            s: {"cor": r.correct, "inc": r.incorrect, "par": r.partial, "mis": r.missed,
                "spu": r.spurious, "possible": r.possible, "actual": r.actual,
                "precision": r.precision, "recall": r.recall, "f1": r.f1}
            for s, r in res["overall"].items()
        }
        labels = []
        for t in tags:
            r = res["entities"][t]["strict"]
            labels.append({"cor": r.correct, "possible": r.possible, "actual": r.actual,
                           "precision": r.precision, "recall": r.recall, "f1": r.f1})
        return {"overall": overall, "labels": labels}

    seconds, mb, out = _measure(work)
    return {"seconds": seconds, "peak_mb": mb, **out}


def _annotations(n_docs: int, seed: int) -> tuple[list[Any], list[Any], Any]:
    from filingkit.catalogue import parse_catalogue
    from filingkit.records import Annotations, Entity, Fact

    cat = parse_catalogue(catalogue_toml(), source="bench")
    labels = cat.entity_labels
    a = spans(n_docs, seed)
    gf, pf = fact_values(n_docs, seed)
    ge: list[list[Entity]] = [[] for _ in range(n_docs)]
    pe: list[list[Entity]] = [[] for _ in range(n_docs)]
    for d, s, e, lab, ps, pe_, pl in zip(*(a[k].tolist() for k in
                                           ("doc", "gs", "ge", "gl", "ps", "pe", "pl")),
                                         strict=True):
        ge[d].append(Entity(labels[lab], s, e))
        pe[d].append(Entity(labels[pl], ps, pe_))
    gold = [Annotations(f"doc{d:05d}", tuple(ge[d]), tuple(Fact(f, v) for f, v in gf[d]))
            for d in range(n_docs)]
    pred = [Annotations(f"doc{d:05d}", tuple(pe[d]), tuple(Fact(f, v) for f, v in pf[d]))
            for d in range(n_docs)]
    return gold, pred, cat


def run_bootstrap(n_docs: int, seed: int) -> dict[str, Any]:
    from filingkit.eval import evaluate
    from filingkit.eval.stats import bootstrap_intervals

    gold, pred, cat = _annotations(n_docs, seed)
    counts = evaluate(gold, pred, catalogue=cat, n_resamples=0).doc_counts
    seconds, mb, _ = _measure(lambda: bootstrap_intervals(counts, n_resamples=1000, seed=0))
    return {"seconds": seconds, "peak_mb": mb, "units": int(counts.shape[1])}


def run_evaluate(n_docs: int, seed: int) -> dict[str, Any]:
    from filingkit.eval import evaluate

    gold, pred, cat = _annotations(n_docs, seed)
    seconds, mb, report = _measure(
        lambda: evaluate(gold, pred, catalogue=cat, n_resamples=1000, seed=0))
    return {"seconds": seconds, "peak_mb": mb, "micro_f1": report.micro.f1,
            "errors": len(report.errors)}


def _child(name: str, n_docs: int, seed: int, queue: Any) -> None:
    # Load every library before any clock starts (import time is not evaluation time).
    import nervaluate  # noqa: F401
    import scipy.optimize
    import scipy.sparse.csgraph
    import scipy.special
    import scipy.stats  # noqa: F401

    queue.put(globals()[name](n_docs, seed))


def isolated(name: str, n_docs: int, seed: int) -> dict[str, Any]:
    """Run one measurement in a fresh process (no memory or caches shared)."""
    # One BLAS thread: the block products are small, and on a shared machine extra
    # threads only contend. Set before the child starts, so numpy sees it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, n_docs, seed, queue))
    proc.start()
    out: dict[str, Any] = queue.get()
    proc.join()
    return out


def same_strict(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    keys = ("cor", "possible", "actual", "precision", "recall", "f1")
    a, b = ours["overall"]["strict"], theirs["overall"]["strict"]
    if any(abs(a[k] - b[k]) > 1e-12 for k in keys):
        return False
    return all(abs(x[k] - y[k]) <= 1e-12 for x, y in zip(ours["labels"], theirs["labels"],
                                                           strict=True) for k in keys)


# ------------------------------------------------------------------ the whole CLI


def write_corpus(folder: str, n_docs: int, seed: int) -> tuple[str, str, int]:
    """Gold and predictions JSONL files of ``n_docs`` documents; returns paths and bytes."""
    import msgspec

    from filingkit.catalogue import load_catalogue

    labels = load_catalogue().entity_labels
    a = spans(n_docs, seed)
    enc = msgspec.json.Encoder()
    paths = (os.path.join(folder, "gold.jsonl"), os.path.join(folder, "pred.jsonl"))
    size = 0
    for path, (s_key, e_key, l_key) in zip(paths, (("gs", "ge", "gl"), ("ps", "pe", "pl")),
                                           strict=True):
        s_all, e_all, l_all = a[s_key].tolist(), a[e_key].tolist(), a[l_key].tolist()
        with open(path, "wb") as fh:
            for d in range(n_docs):
                lo, hi = d * SPANS_PER_DOC, (d + 1) * SPANS_PER_DOC
                ents = [{"label": labels[l_all[i]], "start": s_all[i], "end": e_all[i]}
                        for i in range(lo, hi)]
                fh.write(enc.encode({"doc_id": f"doc{d:07d}", "entities": ents, "facts": []})
                         + b"\n")
            size += fh.tell()
    return paths[0], paths[1], size


def run_cli(gold: str, pred: str, out: str, extra: list[str] | None = None) -> dict[str, Any]:
    """``filingkit eval`` in a subprocess: wall time and the child's own peak RSS."""
    import subprocess

    cmd = [sys.executable, "-m", "filingkit.cli", "eval", "--gold", gold, "--pred", pred,
           "--format", "json", "-o", out, *(extra or [])]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"filingkit eval failed: {err}")
    with open(out, "rb") as fh:
        report = json.load(fh)
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
            "strict": report["schemes"]["strict"]["overall"],
            "n_errors_listed": len(report["errors"]),
            "report_bytes": os.path.getsize(out)}


def cli_main(args: argparse.Namespace) -> int:
    import tempfile

    sizes = [int(x) for x in args.spans.split(",")]
    results: dict[str, Any] = {"load_average": os.getloadavg(), "sizes": []}
    ok = True
    print(f"load average at start: {os.getloadavg()[0]:.1f} (a shared machine: read ratios)")
    print(f"{'gold spans':>11} {'filingkit eval':>15} {'peak RSS':>9} {'nervaluate':>11} "
          f"{'peak RSS':>9} {'speed-up':>9} {'same strict':>11}", flush=True)
    for n_spans in sizes:
        n_docs = max(1, n_spans // SPANS_PER_DOC)
        with tempfile.TemporaryDirectory(prefix="fk-eval-bench-") as tmp:
            gold, pred, size = write_corpus(tmp, n_docs, args.seed)
            ours = run_cli(gold, pred, os.path.join(tmp, "report.json"))
        row: dict[str, Any] = {"spans": n_docs * SPANS_PER_DOC, "docs": n_docs,
                               "input_bytes": size, "filingkit_eval": ours}
        theirs = None
        if n_spans <= args.nervaluate_max:
            theirs = isolated("run_nervaluate", n_docs, args.seed)
            row["nervaluate"] = {k: theirs[k] for k in ("seconds", "peak_mb")}
            keys = ("cor", "possible", "actual", "precision", "recall", "f1")
            same = all(abs(ours["strict"][k] - theirs["overall"]["strict"][k]) <= 1e-12
                       for k in keys)
            row["identical_strict"] = same
            row["speedup"] = theirs["seconds"] / ours["seconds"]
            ok = ok and same
        results["sizes"].append(row)
        nv = (f"{theirs['seconds']:10.2f}s {theirs['peak_mb']:8.0f}M {row['speedup']:8.1f}x "
              f"{row['identical_strict']!s:>11}") if theirs else f"{'skipped':>11}"
        print(f"{row['spans']:>11,} {ours['seconds']:14.2f}s {ours['peak_rss_mb']:8.0f}M {nv}",
              flush=True)
    results["load_average_end"] = os.getloadavg()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, default=float)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spans", default="100000,300000,1000000,10000000",
                        help="gold span counts of the whole-CLI runs (comma-separated)")
    parser.add_argument("--nervaluate-max", type=int, default=1_000_000,
                        help="skip nervaluate above this many spans")
    parser.add_argument("--parts", action="store_true",
                        help="measure the in-process parts instead of the whole CLI")
    parser.add_argument("--docs", type=int, default=10_000, help="documents (with --parts)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-nervaluate", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.skip_nervaluate:
        args.nervaluate_max = -1
    if not args.parts:
        return cli_main(args)
    n = args.docs
    print(f"corpus: {n:,} documents, {n * SPANS_PER_DOC:,} gold spans, "
          f"{n * SPANS_PER_DOC:,} predictions, {N_FACT_FIELDS} fact fields", flush=True)
    results: dict[str, Any] = {"docs": n, "spans": n * SPANS_PER_DOC}
    results["filingkit_spans"] = isolated("run_filingkit_spans", n, args.seed)
    print(f"filingkit spans     {results['filingkit_spans']['seconds']:8.2f} s  "
          f"{results['filingkit_spans']['peak_mb']:8.0f} MB", flush=True)
    if not args.skip_nervaluate:
        results["nervaluate"] = isolated("run_nervaluate", n, args.seed)
        nv = results["nervaluate"]
        print(f"nervaluate          {nv['seconds']:8.2f} s  {nv['peak_mb']:8.0f} MB", flush=True)
        same = same_strict(results["filingkit_spans"], nv)
        results["identical_strict"] = same
        results["speedup"] = nv["seconds"] / results["filingkit_spans"]["seconds"]
        print(f"speed-up {results['speedup']:.1f}x; identical strict numbers: {same}")
    results["bootstrap"] = isolated("run_bootstrap", n, args.seed)
    print(f"bootstrap (1000)    {results['bootstrap']['seconds']:8.2f} s  "
          f"{results['bootstrap']['peak_mb']:8.0f} MB  ({results['bootstrap']['units']} units)",
          flush=True)
    results["evaluate"] = isolated("run_evaluate", n, args.seed)
    print(f"evaluate (all)      {results['evaluate']['seconds']:8.2f} s  "
          f"{results['evaluate']['peak_mb']:8.0f} MB", flush=True)
    strict = results["filingkit_spans"]["overall"]["strict"]
    print("strict overall: " + ", ".join(f"{k}={strict[k]}" for k in
                                         ("cor", "inc", "mis", "spu", "precision", "recall")))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, default=float)
    ok = results.get("identical_strict", True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""``filingkit annotate ...``: Label Studio config, tasks, push/pull, import, agreement,
adjudication and the annotation queue.

Importing this module is cheap: the SDK, rich and the matching code are
imported inside the handlers. The API key is read from the environment
(``LABEL_STUDIO_API_KEY`` or the variable named by ``--api-key-env``), never
from the command line, where other users of the machine could read it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def register(sub: Any) -> None:
    """Add ``annotate`` and its sub-commands to the ``filingkit`` parser."""
    ann = sub.add_parser("annotate", help="annotate filings with Label Studio; agreement, "
                                          "adjudication, what to annotate next")
    asub = ann.add_subparsers(dest="annotate_command", metavar="SUBCOMMAND")
    ann.set_defaults(func=lambda a: (ann.print_help(sys.stderr), 2)[1])

    p = asub.add_parser("config", help="print the Label Studio labeling config of the catalogue")
    p.add_argument("--catalogue", help="field catalogue file (default: the shipped one)")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.set_defaults(func=_config)

    p = asub.add_parser("export", help="filings as Label Studio tasks, with pre-annotations")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="gold folder, filing folder (<doc_id>/text.txt) or filing file")
    p.add_argument("--extractor", action="append", default=[], metavar="NAME",
                   help="run this registered extractor for pre-annotations (repeatable)")
    p.add_argument("--predictions", action="append", default=[], metavar="FILE[=VERSION]",
                   help="predictions JSONL as pre-annotations; model version after '='")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("-o", "--output", required=True, help="tasks JSON file to write")
    p.set_defaults(func=_export)

    p = asub.add_parser("push", help="create or update a project and import tasks")
    _server_args(p)
    p.add_argument("tasks", help="tasks JSON written by `annotate export`")
    p.add_argument("--project", required=True, help="project title (created when missing)")
    p.add_argument("--model-version",
                   help="pre-annotations to show (default: of the first prediction)")
    p.add_argument("--annotators", type=int,
                   help="annotations wanted per task, overlap 100%% (new projects: 1)")
    p.add_argument("--catalogue", help="field catalogue file")
    p.set_defaults(func=_push)

    p = asub.add_parser("pull", help="snapshot export of a project (annotators, predictions)")
    _server_args(p)
    p.add_argument("--project", required=True, help="project title or id")
    p.add_argument("-o", "--output", required=True, help="export JSON file to write")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the export")
    p.set_defaults(func=_pull)

    p = asub.add_parser("import", help="a Label Studio JSON export into per-annotator gold sets")
    p.add_argument("export", help="Label Studio JSON export (e.g. from `annotate pull`)")
    p.add_argument("-o", "--output", required=True, metavar="GOLD_DIR", help="gold folder")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("--scope", nargs="+", metavar="GROUP_OR_FIELD",
                   help="what the annotators covered exhaustively (default: every group)")
    p.add_argument("--allow-invalid", action="store_true",
                   help="write the valid regions even when others are bad (all are reported)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace annotation sets that exist with different content")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.set_defaults(func=_import)

    p = asub.add_parser("agreement", help="inter-annotator agreement of the annotation sets")
    p.add_argument("gold", metavar="GOLD_DIR")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("--exclude", action="append", default=[], metavar="ANNOTATOR",
                   help="leave this annotator's sets out (e.g. the adjudicator)")
    p.add_argument("--json", metavar="FILE", help="write the report JSON here ('-': stdout)")
    p.add_argument("--markdown", metavar="FILE", help="write the report as markdown here")
    p.set_defaults(func=_agreement)

    p = asub.add_parser("adjudicate", help="merge agreed values into gold; queue disagreements")
    p.add_argument("gold", metavar="GOLD_DIR")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("--queue", metavar="FILE", help="write the disagreement queue (JSON) here")
    p.add_argument("--review-tasks", metavar="FILE",
                   help="write Label Studio review tasks for the disputed documents here")
    p.add_argument("--resolved-by", metavar="ANNOTATOR",
                   help="this annotator's set settles the disputes of its documents")
    p.add_argument("--single", action="store_true",
                   help="a document with one annotation set gets that set as gold (status annotated)")
    p.add_argument("--dry-run", action="store_true", help="write no gold files")
    p.add_argument("--overwrite", action="store_true", help="replace non-adjudicated gold.json")
    p.add_argument("--overwrite-adjudicated", action="store_true",
                   help="also replace adjudicated gold.json (with --overwrite)")
    p.set_defaults(func=_adjudicate)

    p = asub.add_parser("queue", help="order unlabeled filings by extractor disagreement or "
                                      "uncertainty")
    p.add_argument("predictions", nargs="+", metavar="PRED.jsonl[=NAME]",
                   help="predictions of one or more extractors")
    p.add_argument("--gold", metavar="GOLD_DIR", help="leave out filings that have gold here")
    p.add_argument("--limit", type=int, help="keep the first N filings")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("-o", "--output", help="write the queue JSON here (default: a table)")
    p.set_defaults(func=_queue)

    p = asub.add_parser("serve", help="Label Studio ML backend: live pre-annotations from "
                                      "extractors, retraining from submitted annotations")
    p.add_argument("--extractor", action="append", required=True, metavar="NAME",
                   help="registered extractor to serve (repeatable; each field comes from the "
                        "first one that declares it)")
    p.add_argument("--model", metavar="PATH",
                   help="saved model of the trainable extractor (default: train it on --gold)")
    p.add_argument("--gold", metavar="GOLD_DIR",
                   help="gold a trainable extractor learns from (default: the bundled gold)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="constructor option of the trainable extractor, e.g. max_iterations=50")
    p.add_argument("--state-dir", metavar="DIR",
                   help="keep the submitted annotations here across restarts (default: memory)")
    p.add_argument("--label-studio-url", metavar="URL",
                   help="read a project's annotations from this server on Start Training "
                        "(default: $LABEL_STUDIO_URL when the API key is set too)")
    p.add_argument("--api-key-env", default="LABEL_STUDIO_API_KEY", metavar="VAR",
                   help="environment variable holding its API key (default: %(default)s)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=9090, help="port (default: %(default)s)")
    p.add_argument("--auth-user-env", default="FILINGKIT_SERVE_USER", metavar="VAR",
                   help="variable holding the basic-auth user (default: %(default)s)")
    p.add_argument("--auth-password-env", default="FILINGKIT_SERVE_PASSWORD", metavar="VAR",
                   help="variable holding the basic-auth password (default: %(default)s)")
    p.add_argument("--max-body-mb", type=float, default=64.0,
                   help="largest request body accepted, in MiB (default: %(default)s)")
    p.add_argument("--catalogue", help="field catalogue file")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=_serve)


def _server_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", help="server URL (default: $LABEL_STUDIO_URL)")
    p.add_argument("--api-key-env", default="LABEL_STUDIO_API_KEY", metavar="VAR",
                   help="environment variable holding the API key (default: %(default)s)")


def _connection(args: argparse.Namespace) -> Any:
    import os

    from filingkit.annotate.client import connection

    return connection(args.url, os.environ.get(args.api_key_env) or None)


def _schema(args: argparse.Namespace) -> Any:
    from filingkit.annotate.config import labeling_schema
    from filingkit.catalogue import load_catalogue

    return labeling_schema(load_catalogue(args.catalogue))


def _config(args: argparse.Namespace) -> int:
    from filingkit.jsonio import write_text_atomic

    xml = _schema(args).xml + "\n"
    if args.output:
        write_text_atomic(args.output, xml)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(xml)
    return EXIT_OK


def _split_version(spec: str) -> tuple[str, str | None]:
    path, sep, version = spec.partition("=")
    return path, (version if sep else None)


def _export(args: argparse.Namespace) -> int:
    from filingkit.annotate.tasks import build_tasks, load_documents, model_version, write_tasks
    from filingkit.extractors.base import extract_all
    from filingkit.serialize import read_predictions

    schema = _schema(args)
    docs = load_documents(args.paths)
    predictions: dict[str, Any] = {}
    for spec in args.predictions:
        path, version = _split_version(spec)
        predictions[version or Path(path).stem] = read_predictions(path)
    for name in args.extractor:
        from filingkit.extractors.registry import get_extractor

        ext = get_extractor(name)
        predictions[model_version(ext.name, ext.version)] = extract_all(ext, docs)
    tasks = build_tasks(docs, schema, predictions=predictions)
    write_tasks(args.output, tasks, schema)
    n_pred = sum(len(t.get("predictions", ())) for t in tasks)
    print(f"wrote {len(tasks)} tasks with {n_pred} predictions to {args.output}",
          file=sys.stderr)
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    from filingkit.annotate.client import push
    from filingkit.jsonio import read_json

    tasks = read_json(args.tasks)
    if not isinstance(tasks, list):
        from filingkit.errors import FilingkitError

        raise FilingkitError("a tasks file holds a JSON list", file=args.tasks)
    result = push(_connection(args), tasks, project=args.project,
                  label_config=_schema(args).xml, model_version=args.model_version,
                  annotators=args.annotators)
    verb = "created" if result.created else "updated"
    print(f"project {result.project_id} {verb}"
          + (" (new labeling config)" if result.config_updated else "")
          + f"; model version {result.model_version or '-'}; {result.imported} tasks imported,"
            f" {result.already_there} already there")
    return EXIT_OK


def _pull(args: argparse.Namespace) -> int:
    from filingkit.annotate.client import pull, write_export

    export = pull(_connection(args), project=args.project, timeout=args.timeout)
    write_export(args.output, export)
    n_ann = sum(len(t.get("annotations") or ()) for t in export)
    print(f"wrote {len(export)} tasks with {n_ann} annotations to {args.output}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from filingkit.annotate.importer import import_export
    from filingkit.catalogue import load_catalogue

    report = import_export(args.export, args.output, catalogue=load_catalogue(args.catalogue),
                           scope=args.scope, allow_invalid=args.allow_invalid,
                           overwrite=args.overwrite)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        for s in report.sets:
            print(f"{s.action:12} {s.doc_id} {s.annotator}: {s.entities} entities, "
                  f"{s.facts} facts -> {s.path}")
        for n in report.notes:
            print(f"NOTE {n}")
        for i in report.issues:
            print(f"INVALID {args.export}: {i}", file=sys.stderr)
        written = sum(s.action == "written" for s in report.sets)
        print(f"{len(report.sets)} annotation sets, {written} written, "
              f"{len(report.issues)} problems")
        if report.issues and not args.allow_invalid:
            print("TIP: nothing was written; fix the regions in Label Studio and pull again, "
                  "or pass --allow-invalid to import the valid ones", file=sys.stderr)
    # regions that cannot be gold (past the text, unknown label, bad value...) are bad input
    return EXIT_BAD_INPUT if report.issues else EXIT_OK


def _agreement(args: argparse.Namespace) -> int:
    from rich.console import Console

    from filingkit.annotate.agreement import agreement
    from filingkit.annotate.render import agreement_tables
    from filingkit.catalogue import load_catalogue
    from filingkit.jsonio import write_json_atomic, write_text_atomic

    report = agreement(args.gold, catalogue=load_catalogue(args.catalogue),
                       exclude=args.exclude)
    if args.json == "-":
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, sort_keys=True))
        return EXIT_OK
    if args.json:
        write_json_atomic(args.json, report.to_dict())
    if args.markdown:
        write_text_atomic(args.markdown, report.to_markdown())
    console = Console()
    for table in agreement_tables(report):
        console.print(table)
    if report.single:
        console.print(f"not compared (one annotation set): {', '.join(report.single)}")
    return EXIT_OK


def _adjudicate(args: argparse.Namespace) -> int:
    from filingkit.annotate.adjudicate import adjudicate, review_tasks, write_queue
    from filingkit.annotate.tasks import write_tasks
    from filingkit.catalogue import load_catalogue

    cat = load_catalogue(args.catalogue)
    report = adjudicate(args.gold, catalogue=cat, resolved_by=args.resolved_by,
                        write=not args.dry_run, overwrite=args.overwrite,
                        overwrite_adjudicated=args.overwrite_adjudicated, single=args.single)
    if args.queue:
        write_queue(args.queue, report)
    if args.review_tasks:
        schema = _schema(args)
        write_tasks(args.review_tasks, review_tasks(report, args.gold, schema), schema)
    for path in report.written:
        print(f"written     {path}")
    for path in report.unchanged:
        print(f"unchanged   {path}")
    for doc_id, reason in report.skipped:
        print(f"skipped     {doc_id}: {reason}")
    for e in report.queue[:20]:
        print(f"queue {e.priority:.2f} {e.doc_id} {e.field}: {len(e.disputed)} disputed, "
              f"{e.agreed} agreed")
    if len(report.queue) > 20:
        print(f"... {len(report.queue) - 20} more queue entries")
    refused = [r for _, r in report.skipped if "overwrite" in r]
    return EXIT_FAILED if refused else EXIT_OK


def _queue(args: argparse.Namespace) -> int:
    from filingkit.annotate.selection import rank_for_annotation, selection_dict
    from filingkit.catalogue import load_catalogue
    from filingkit.jsonio import write_json_atomic
    from filingkit.serialize import read_predictions

    preds: dict[str, Any] = {}
    for spec in args.predictions:
        path, name = _split_version(spec)
        preds[name or Path(path).stem] = read_predictions(path)
    exclude: set[str] = set()
    if args.gold:
        from filingkit.gold.store import iter_gold_files

        exclude = {p.parent.name for p in iter_gold_files(args.gold)}
    ranked = rank_for_annotation(preds, catalogue=load_catalogue(args.catalogue),
                                 exclude=exclude, limit=args.limit)
    if args.output:
        write_json_atomic(args.output, selection_dict(ranked, sorted(preds)))
        print(f"wrote {len(ranked)} filings to {args.output}")
        return EXIT_OK
    for c in ranked:
        dis = "-" if c.disagreement is None else f"{c.disagreement:.3f}"
        unc = "-" if c.uncertainty is None else f"{c.uncertainty:.3f}"
        print(f"{c.score:.3f}  {c.doc_id}  disagreement {dis}  uncertainty {unc}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import ipaddress
    import logging
    import os

    from filingkit.annotate.client import connection
    from filingkit.annotate.serve import Backend
    from filingkit.annotate.serve_training import prepare_extractors
    from filingkit.annotate.server import BasicAuth, serve
    from filingkit.errors import FilingkitError
    from filingkit.extractors.cli import parse_options

    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    user = os.environ.get(args.auth_user_env) or ""
    password = os.environ.get(args.auth_password_env) or ""
    if bool(user) != bool(password):
        raise FilingkitError(f"basic auth needs both {args.auth_user_env} and "
                             f"{args.auth_password_env}; only one is set")
    auth = BasicAuth(user, password) if user else None
    if args.max_body_mb <= 0:
        raise FilingkitError(f"--max-body-mb must be positive, got {args.max_body_mb}")
    if not 0 < args.port < 65536:
        raise FilingkitError(f"--port must be in 1..65535, got {args.port}")
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback and auth is None:
        print(f"WARNING: listening on {args.host} without authentication: anyone who can reach "
              f"it can read predictions and send annotations; set {args.auth_user_env} and "
              f"{args.auth_password_env}", file=sys.stderr)
    key = os.environ.get(args.api_key_env) or ""
    url = args.label_studio_url or os.environ.get("LABEL_STUDIO_URL") or ""
    if args.label_studio_url and not key:
        raise FilingkitError(f"--label-studio-url needs the API key in {args.api_key_env}")
    label_studio = connection(url, key) if url and key else None
    extractors, gold = prepare_extractors(args.extractor, model=args.model, gold_dir=args.gold,
                                          options=parse_options(args.option))
    backend = Backend(extractors, _schema(args), gold=gold, state_dir=args.state_dir,
                      label_studio=label_studio)
    print(f"serving {backend.model_version} on http://{args.host}:{args.port}"
          + (" (basic auth)" if auth else ""), file=sys.stderr)
    serve(backend, host=args.host, port=args.port, auth=auth,
          max_body=int(args.max_body_mb * 1024 * 1024), log_level=args.log_level)
    return EXIT_OK

"""``ml``: a token-level CRF over the catalogue's entity labels.

Documents are cut into lines, lines into tokens that keep their code-point
offsets (``filingkit.extractors.tokens``), gold spans become BIO tags, and a
linear-chain CRF (CRFsuite, trained through sklearn-crfsuite) learns from
contextual, gazetteer-free features. Predicted tag runs map back to exact
``text[start:end]`` spans.

Persistence uses no pickle: ``save`` writes the CRFsuite model file, as
CRFsuite itself writes it, and a JSON header (format version, filingkit
version, feature version, catalogue name and version, labels, parameters and
the model file's sha256). ``load`` checks every one of them and refuses a
model made for another catalogue or filingkit version.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from filingkit import __version__
from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.extractors.errors import ExtractorError, ModelFormatError, NotFittedError
from filingkit.extractors.tokens import bio_tags, sentences, sequence_features
from filingkit.jsonio import read_json, write_bytes_atomic, write_json_atomic
from filingkit.records import Annotations, Document, Entity

MODEL_FORMAT = "filingkit-crf-model"
MODEL_FORMAT_VERSION = 1
#: bump when ``tokens.token_features`` changes: a model trained on other features is useless
FEATURE_VERSION = 1
HEADER_FILE = "model.json"
MODEL_FILE = "model.crfsuite"
_PARAMS = ("labels", "c1", "c2", "max_iterations", "window", "catalogue")


ML_INSTALL_HINT = "pip install 'filingkit[ml]'"


def _require(module: str) -> Any:
    """Import a module of the ``ml`` extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ExtractorError(f"ml: the CRF needs {module}, which is not installed",
                             hint=ML_INSTALL_HINT) from exc


class CrfExtractor:
    """Entity extractor: a linear-chain CRF over tokens, BIO over entity labels.

    Follows the scikit-learn estimator contract: ``__init__`` stores its arguments
    as given and does nothing else (no catalogue is read there), ``get_params`` /
    ``set_params`` work as in scikit-learn (so ``sklearn.base.clone`` makes an
    unfitted copy), fitted state lives in attributes ending in ``_``. ``fit``
    returns self; ``extract`` and ``save`` before ``fit`` or ``load`` raise
    ``NotFittedError``. ``fields`` is derived: the fitted labels once fitted,
    the requested labels before.

    :param labels: entity labels to learn; ``None`` means every entity label of the catalogue.
    :param c1: L1 regularization.
    :param c2: L2 regularization.
    :param max_iterations: L-BFGS iterations (training time grows linearly).
    :param window: how many neighbours on each side feed a token's features.
    :param catalogue: a catalogue file; ``None`` is the shipped catalogue.
    """

    name = "ml"
    version = "1"

    # fitted state, set by fit() or load()
    tagger_: Any
    model_bytes_: bytes
    labels_: tuple[str, ...]
    n_documents_: int | None

    def __init__(
        self,
        labels: Sequence[str] | None = None,
        c1: float = 0.05,
        c2: float = 0.05,
        max_iterations: int = 50,
        window: int = 2,
        catalogue: str | Path | None = None,
    ) -> None:
        self.labels = labels
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.window = window
        self.catalogue = catalogue

    # ------------------------------------------------------------ parameters

    @property
    def fields(self) -> tuple[str, ...]:
        """The labels emitted: the fitted ones after fit() or load(), else the requested ones
        (every entity label of the catalogue when ``labels`` is None)."""
        fitted = getattr(self, "labels_", None)
        if fitted is not None:
            return tuple(fitted)
        return tuple(self.labels) if self.labels is not None else self._catalogue().entity_labels

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor arguments as given, so ``CrfExtractor(**e.get_params())`` is a clone.

        ``deep`` is accepted for scikit-learn's sake; no parameter is an estimator.
        """
        return {name: getattr(self, name) for name in _PARAMS}

    def set_params(self, **params: Any) -> Self:
        """Set constructor arguments by name, as scikit-learn's ``set_params``; returns self."""
        unknown = sorted(set(params) - set(_PARAMS))
        if unknown:
            raise ExtractorError(f"ml: unknown parameters {unknown}",
                                 hint=f"parameters: {', '.join(_PARAMS)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != _DEFAULTS[k]}
        return f"CrfExtractor({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def _catalogue(self) -> Catalogue:
        return load_catalogue(self.catalogue)

    def _labels(self) -> tuple[str, ...]:
        cat = self._catalogue()
        if self.labels is None:
            return cat.entity_labels
        labels = tuple(self.labels)
        unknown = [lab for lab in labels if lab not in cat.entity_labels]
        if unknown:
            raise ExtractorError(
                f"ml: labels {unknown} are not entity labels of catalogue {cat.name} "
                f"v{cat.version}",
                hint=f"entity labels: {', '.join(cat.entity_labels)}",
            )
        return labels

    def _check_params(self) -> None:
        if not isinstance(self.max_iterations, int) or self.max_iterations < 1:
            raise ExtractorError(f"ml: max_iterations must be a positive integer, "
                                 f"got {self.max_iterations!r}")
        if not isinstance(self.window, int) or not 0 <= self.window <= 5:
            raise ExtractorError(f"ml: window must be an integer in 0..5, got {self.window!r}")
        for pname in ("c1", "c2"):
            val = getattr(self, pname)
            if isinstance(val, bool) or not isinstance(val, int | float) or val < 0:
                raise ExtractorError(f"ml: {pname} must be a number >= 0, got {val!r}")

    # ------------------------------------------------------------ training

    def fit(self, documents: Sequence[Document], gold: Sequence[Annotations]) -> Self:
        """Learn from documents and their gold entities (matched by ``doc_id``).

        Every document passed is taken as exhaustively annotated for the
        labels learnt: a token outside every gold span is a negative example.
        Pass only documents whose gold scope covers the entities.
        """
        sklearn_crfsuite = _require("sklearn_crfsuite")  # heavy: import on use

        self._check_params()
        labels = self._labels()
        by_id = {g.doc_id: g for g in gold}
        missing = [d.doc_id for d in documents if d.doc_id not in by_id]
        if missing:
            raise ExtractorError(f"ml: no gold for documents {missing[:5]}")
        if not documents:
            raise ExtractorError("ml: fit needs at least one document")
        xs: list[list[dict[str, str | float]]] = []
        ys: list[list[str]] = []
        keep = set(labels)
        for doc in documents:
            ents = sorted((e for e in by_id[doc.doc_id].entities if e.label in keep),
                          key=lambda e: e.start)
            for toks in sentences(doc.text):
                xs.append(sequence_features(toks, window=self.window))
                ys.append(bio_tags(toks, ents))
        with tempfile.TemporaryDirectory(prefix="filingkit-crf-") as tmp:
            path = Path(tmp) / MODEL_FILE
            crf = sklearn_crfsuite.CRF(
                algorithm="lbfgs", c1=self.c1, c2=self.c2,
                max_iterations=self.max_iterations, all_possible_transitions=True,
                model_filename=str(path),
            )
            crf.fit(xs, ys)
            self._set_model(path.read_bytes(), labels)
        self.n_documents_ = len(documents)
        return self

    def _set_model(self, model: bytes, labels: tuple[str, ...]) -> None:
        pycrfsuite = _require("pycrfsuite")

        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        self.model_bytes_ = model
        self.tagger_ = tagger
        self.labels_ = labels

    def _require_fitted(self, what: str) -> None:
        if getattr(self, "tagger_", None) is None:
            raise NotFittedError(
                f"ml: this CrfExtractor is not fitted yet; call fit() or load() before {what}",
                hint="train with `filingkit train --extractor ml --gold DIR -o MODEL_DIR` "
                     "and pass `--model MODEL_DIR`",
            )

    # ------------------------------------------------------------ extraction

    def extract(self, document: Document) -> Annotations:
        """Entities found in ``document`` (spans are exact token boundaries)."""
        self._require_fitted("extract()")
        from filingkit.extractors.tokens import spans_from_tags

        text = document.text
        entities: list[Entity] = []
        for toks in sentences(text):
            tags = self.tagger_.tag(sequence_features(toks, window=self.window))
            for label, start, end in spans_from_tags(toks, tags):
                entities.append(Entity(label, start, end, text=text[start:end], source="ml"))
        return Annotations(document.doc_id, tuple(entities), ())

    # ------------------------------------------------------------ persistence

    def _header(self) -> dict[str, Any]:
        cat = self._catalogue()
        params = self.get_params()
        params["labels"] = list(params["labels"]) if params["labels"] is not None else None
        params["catalogue"] = str(params["catalogue"]) if params["catalogue"] else None
        return {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "extractor": {"name": self.name, "version": self.version},
            "filingkit_version": __version__,
            "feature_version": FEATURE_VERSION,
            "catalogue": {"name": cat.name, "version": cat.version},
            "labels": list(self.labels_),
            "params": params,
            "model_file": MODEL_FILE,
            "model_sha256": hashlib.sha256(self.model_bytes_).hexdigest(),
            "n_documents": getattr(self, "n_documents_", None),
        }

    def save(self, path: str | Path) -> None:
        """Write the model folder ``path``: ``model.crfsuite`` and ``model.json``."""
        self._require_fitted("save()")
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise ModelFormatError("a model is saved as a folder; this path is a file",
                                   file=folder)
        write_bytes_atomic(folder / MODEL_FILE, self.model_bytes_)
        write_json_atomic(folder / HEADER_FILE, self._header())

    @classmethod
    def load(cls, path: str | Path, *, catalogue: str | Path | None = None) -> Self:
        """Load a model folder written by ``save``, checking that it fits this installation.

        Refused (``ModelFormatError``): another format or feature version,
        another filingkit version, another catalogue name or version than
        ``catalogue`` (the shipped one by default), labels unknown to it, or
        a model file whose sha256 does not match its header.
        """
        folder = Path(path)
        if folder.is_file() and folder.name == HEADER_FILE:
            folder = folder.parent
        hpath = folder / HEADER_FILE
        if not hpath.exists():
            raise ModelFormatError(f"no {HEADER_FILE} here: not a saved ml model", file=folder,
                                   hint="train one with `filingkit train --extractor ml`")
        header = read_json(hpath)
        if not isinstance(header, dict) or header.get("format") != MODEL_FORMAT:
            raise ModelFormatError(f"not a {MODEL_FORMAT} header", file=hpath)
        if header.get("format_version") != MODEL_FORMAT_VERSION:
            raise ModelFormatError(
                f"model format version {header.get('format_version')!r}; this filingkit reads "
                f"version {MODEL_FORMAT_VERSION}", file=hpath, hint="retrain the model")
        if header.get("feature_version") != FEATURE_VERSION:
            raise ModelFormatError(
                f"model built with feature version {header.get('feature_version')!r}, this "
                f"filingkit computes version {FEATURE_VERSION}", file=hpath,
                hint="retrain the model")
        if header.get("filingkit_version") != __version__:
            raise ModelFormatError(
                f"model saved by filingkit {header.get('filingkit_version')}, this is "
                f"filingkit {__version__}", file=hpath, hint="retrain the model with this version")
        cat = load_catalogue(catalogue)
        saved_cat = header.get("catalogue") or {}
        if not isinstance(saved_cat, dict):
            raise ModelFormatError("catalogue must be an object {name, version}", file=hpath)
        if (saved_cat.get("name"), str(saved_cat.get("version"))) != (cat.name, cat.version):
            raise ModelFormatError(
                f"model made for catalogue {saved_cat.get('name')!r} v{saved_cat.get('version')}, "
                f"not {cat.name!r} v{cat.version}", file=hpath,
                hint="retrain with the current catalogue or pass its catalogue file")
        labels = header.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise ModelFormatError("labels must be a list of names", file=hpath)
        unknown = [lab for lab in labels if lab not in cat.entity_labels]
        if unknown:
            raise ModelFormatError(f"labels {unknown} are not entity labels of the catalogue",
                                   file=hpath)
        if len(set(labels)) != len(labels):
            raise ModelFormatError("labels: a label is listed twice", file=hpath)
        name = header.get("model_file", MODEL_FILE)
        if not isinstance(name, str) or not name or name in (".", "..") or "/" in name \
                or "\\" in name:
            raise ModelFormatError(f"model_file {name!r} must be a file name inside the model "
                                   "folder", file=hpath)
        mpath = folder / name
        try:
            model = mpath.read_bytes()
        except FileNotFoundError:
            raise ModelFormatError("model file is missing", file=mpath) from None
        except OSError as exc:
            raise ModelFormatError(f"cannot read the model file: {exc.strerror or exc}",
                                   file=mpath) from None
        if hashlib.sha256(model).hexdigest() != header.get("model_sha256"):
            raise ModelFormatError("model file does not match the sha256 in its header",
                                   file=mpath)
        _check_crfsuite_header(model, mpath)
        est = cls(**_saved_params(header.get("params", {}), hpath), catalogue=catalogue)
        try:
            est._check_params()
        except ExtractorError as exc:
            raise ModelFormatError(f"params: {exc.reason}", file=hpath) from None
        try:
            est._set_model(model, tuple(labels))
        except Exception as exc:  # CRFsuite reports a corrupt file as a generic error
            raise ModelFormatError(f"CRFsuite cannot read the model: {exc}", file=mpath) from exc
        est.n_documents_ = header.get("n_documents")
        return est


_DEFAULTS: dict[str, Any] = {
    name: p.default for name, p in inspect.signature(CrfExtractor.__init__).parameters.items()
    if name in _PARAMS
}


_CRF_HEADER = struct.Struct("<4sI4s9I")  # magic, size, type, version, counts, section offsets


def _check_crfsuite_header(model: bytes, mpath: Path) -> None:
    """Refuse a model file CRFsuite would misread: CRFsuite trusts the sizes and offsets in
    its header, so a truncated or foreign file that reached it crashed the process."""
    if len(model) < _CRF_HEADER.size:
        raise ModelFormatError(f"CRFsuite cannot read the model: {len(model)} bytes is shorter "
                               "than a CRFsuite header", file=mpath)
    magic, size, kind, _version, *rest = _CRF_HEADER.unpack_from(model)
    offsets = rest[3:]
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelFormatError("CRFsuite cannot read the model: not a CRFsuite model file",
                               file=mpath)
    if size != len(model):
        raise ModelFormatError(f"CRFsuite cannot read the model: its header says {size} bytes, "
                               f"the file has {len(model)} (truncated?)", file=mpath)
    if any(not _CRF_HEADER.size <= off <= size for off in offsets if off):
        raise ModelFormatError("CRFsuite cannot read the model: a section offset lies outside "
                               "the file", file=mpath)


def _saved_params(params: object, hpath: Path) -> dict[str, Any]:
    """The constructor parameters of a model header, type-checked (a header may be hand-edited)."""
    if not isinstance(params, dict):
        raise ModelFormatError("params must be an object", file=hpath)
    out: dict[str, Any] = {}
    defaults: dict[str, Any] = {"c1": 0.05, "c2": 0.05, "max_iterations": 50, "window": 2}
    for key, default in defaults.items():
        val = params.get(key, default)
        want: type | tuple[type, ...] = int if isinstance(default, int) else (int, float)
        if isinstance(val, bool) or not isinstance(val, want):
            raise ModelFormatError(f"params.{key} must be {'an integer' if want is int else 'a number'}"
                                   f", got {val!r}"[:200], file=hpath)
        out[key] = val
    labels = params.get("labels")
    if labels is not None and (not isinstance(labels, list)
                               or not all(isinstance(x, str) for x in labels)):
        raise ModelFormatError("params.labels must be a list of label names or null", file=hpath)
    out["labels"] = labels
    return out

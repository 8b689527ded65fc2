"""The registry: entry-point discovery, errors that help, and a real third-party plugin."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from filingkit.cli import main
from filingkit.extractors.errors import ExtractorError, UnknownExtractorError
from filingkit.extractors.registry import (
    available_extractors,
    extractor_class,
    extractor_names,
    get_extractor,
    parse_name,
)
from filingkit.records import Document


def test_builtins_are_listed_with_version_fields_and_distribution() -> None:
    infos = {i.name: i for i in available_extractors()}
    assert {"regex", "ml", "rules"} <= set(infos)
    regex = infos["regex"]
    name, version, fields, dist = regex  # unpacks as the documented 4-tuple
    assert (name, version) == ("regex", "1")
    assert "MONEY" in fields and "dei:EntityTaxIdentificationNumber" in fields
    assert dist.startswith("filingkit ")
    assert regex.target == "filingkit.extractors.regex:RegexExtractor"
    assert infos["ml"].error is None


def test_get_extractor_passes_options_verbatim() -> None:
    ext = get_extractor("regex", phone_region="GB")
    assert ext.phone_region == "GB"  # type: ignore[attr-defined]
    assert get_extractor("ml", max_iterations=5).max_iterations == 5  # type: ignore[attr-defined]


def test_unknown_name_suggests_and_lists() -> None:
    with pytest.raises(UnknownExtractorError) as err:
        get_extractor("regx")
    assert "did you mean 'regex'" in err.value.reason
    assert err.value.hint is not None and "ml, regex, rules" in err.value.hint


def test_unknown_name_without_close_match_lists_all() -> None:
    with pytest.raises(UnknownExtractorError) as err:
        get_extractor("zzzzzz")
    assert "known: " in err.value.reason and "regex" in err.value.reason


def test_unknown_option_names_the_accepted_ones() -> None:
    with pytest.raises(ExtractorError) as err:
        get_extractor("regex", phone_regoin="GB")
    assert "did you mean 'phone_region'" in err.value.reason


@pytest.mark.parametrize(("name", "expected"), [
    ("regex", ("regex", None)), ("regex@1", ("regex", "1")), ("acme@2.0", ("acme", "2.0"))])
def test_parse_name(name: str, expected: tuple[str, str | None]) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize("bad", ["@1", "regex@"])
def test_malformed_names(bad: str) -> None:
    with pytest.raises(UnknownExtractorError, match="malformed"):
        parse_name(bad)


def test_version_pin() -> None:
    assert get_extractor("regex@1").version == "1"
    with pytest.raises(ExtractorError, match="version 1, not 7"):
        get_extractor("regex@7")


def test_entry_point_name_must_be_the_extractor_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import filingkit.extractors.registry as registry

    class Impostor:
        name = "other"
        version = "1"
        fields = ("DATE",)

        def extract(self, document: Document) -> None:  # pragma: no cover - never run
            return None

    monkeypatch.setattr(registry, "extractor_class", lambda name: Impostor)
    with pytest.raises(ExtractorError, match="named 'other'"):
        get_extractor("regex")


def test_object_without_the_protocol_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import filingkit.extractors.registry as registry

    class NotAnExtractor:
        name = "regex"

    monkeypatch.setattr(registry, "extractor_class", lambda name: NotAnExtractor)
    with pytest.raises(ExtractorError, match="missing version, fields, extract"):
        get_extractor("regex")


def test_names_do_not_import_anything() -> None:
    code = ("import sys; from filingkit.extractors.registry import extractor_names; "
            "extractor_names(); "
            "assert 'filingkit.extractors.ml' not in sys.modules; "
            "assert 'sklearn_crfsuite' not in sys.modules; "
            "assert 'phonenumbers' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_import_is_cheap() -> None:
    """Building the `filingkit` parser must not import the models or numpy."""
    code = ("import sys; from filingkit.cli import build_parser; build_parser(); "
            "heavy = [m for m in ('sklearn_crfsuite', 'pycrfsuite', 'phonenumbers', "
            "'filingkit.extractors.ml', 'filingkit.extractors.bench') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- a real third-party plugin

PLUGIN_MODULE = '''
"""A third-party extractor: shouts TICKER at every parenthesized all-caps word."""
import re

from filingkit.records import Annotations, Entity


class AcmeExtractor:
    name = "acme"
    version = "2"
    fields = ("TICKER",)

    def __init__(self, min_len: int = 3) -> None:
        self.min_len = min_len

    def extract(self, document):
        ents = tuple(
            Entity("TICKER", m.start(1), m.end(1), text=m.group(1), source="acme")
            for m in re.finditer(r"\\(([A-Z]{%d,5})\\)" % self.min_len, document.text)
        )
        return Annotations(document.doc_id, ents, ())
'''

# A PEP 517 backend shipped inside the package itself (backend-path), so pip builds and
# installs it offline, with no build requirement to download.
PLUGIN_BACKEND = '''
import base64, hashlib, os, zipfile

NAME, VERSION = "acme_ie", "0.3.0"
DIST = f"{NAME}-{VERSION}.dist-info"
FILES = {
    f"{NAME}/__init__.py": open(os.path.join(NAME, "__init__.py"), "rb").read(),
    f"{DIST}/METADATA": b"Metadata-Version: 2.1\\nName: acme-ie\\nVersion: 0.3.0\\n",
    f"{DIST}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: acme\\nRoot-Is-Purelib: true\\n"
                     b"Tag: py3-none-any\\n",
    f"{DIST}/entry_points.txt": b"[filingkit.extractors]\\nacme = acme_ie:AcmeExtractor\\n",
}

def get_requires_for_build_wheel(config_settings=None):
    return []

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as whl:
        for path, data in FILES.items():
            whl.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path},sha256={digest.decode()},{len(data)}")
        record.append(f"{DIST}/RECORD,,")
        whl.writestr(f"{DIST}/RECORD", "\\n".join(record) + "\\n")
    return name
'''

PLUGIN_PYPROJECT = '''
[build-system]
requires = []
build-backend = "acme_backend"
backend-path = ["."]

[project]
name = "acme-ie"
version = "0.3.0"

[project.entry-points."filingkit.extractors"]
acme = "acme_ie:AcmeExtractor"
'''


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the throw-away package and pip-install it into a --target folder on sys.path."""
    src = tmp_path_factory.mktemp("acme-src")
    (src / "acme_ie").mkdir()
    (src / "acme_ie" / "__init__.py").write_text(textwrap.dedent(PLUGIN_MODULE))
    (src / "acme_backend.py").write_text(textwrap.dedent(PLUGIN_BACKEND))
    (src / "pyproject.toml").write_text(textwrap.dedent(PLUGIN_PYPROJECT))
    target = tmp_path_factory.mktemp("acme-target")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--disable-pip-version-check", "--target", str(target), str(src)],
        check=True,
    )
    assert (target / "acme_ie-0.3.0.dist-info" / "entry_points.txt").exists()
    sys.path.insert(0, str(target))
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for mod in [m for m in sys.modules if m == "acme_ie" or m.startswith("acme_ie.")]:
            del sys.modules[mod]


def test_third_party_plugin_is_found(installed_plugin: Path) -> None:
    assert "acme" in extractor_names()
    info = {i.name: i for i in available_extractors()}["acme"]
    assert (info.version, info.fields, info.distribution) == ("2", ("TICKER",), "acme-ie 0.3.0")
    ext = get_extractor("acme", min_len=4)
    out = ext.extract(Document("d", "ImmunoGen (IMGN) and (AB)"))
    assert [(e.label, e.text) for e in out.entities] == [("TICKER", "IMGN")]
    assert extractor_class("acme").__module__ == "acme_ie"


def test_third_party_plugin_in_cli_list(installed_plugin: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extractors", "list", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["acme"]["distribution"] == "acme-ie 0.3.0"
    assert rows["acme"]["fields"] == ["TICKER"]
    assert main(["extractors", "list"]) == 0
    assert "acme" in capsys.readouterr().out


def test_third_party_plugin_runs_in_extract(installed_plugin: Path, tmp_path: Path) -> None:
    filing = tmp_path / "f.txt"
    filing.write_text("ImmunoGen, Inc. (IMGN) today announced\n", encoding="utf-8")
    out = tmp_path / "preds.jsonl"
    assert main(["extract", "--extractor", "acme", str(filing), "-o", str(out),
                 "--no-progress"]) == 0
    header, line = out.read_text().splitlines()
    assert json.loads(header)["extractor"] == {"name": "acme", "version": "2"}
    row = json.loads(line)
    assert row["extractor"] == "acme@2"
    assert row["entities"] == [{"label": "TICKER", "start": 17, "end": 21, "text": "IMGN"}]


def test_broken_plugin_is_listed_with_its_error(installed_plugin: Path) -> None:
    """A plugin whose import fails is shown broken; the others still list."""
    (installed_plugin / "acme_ie" / "__init__.py").write_text("raise ImportError('boom')\n")
    sys.modules.pop("acme_ie", None)
    try:
        info = {i.name: i for i in available_extractors()}
        assert info["acme"].error is not None and "boom" in info["acme"].error
        assert info["regex"].error is None
        with pytest.raises(ExtractorError, match="cannot be imported"):
            get_extractor("acme")
    finally:
        (installed_plugin / "acme_ie" / "__init__.py").write_text(
            textwrap.dedent(PLUGIN_MODULE))
        sys.modules.pop("acme_ie", None)

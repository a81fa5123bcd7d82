"""The registry: loading a library, hot reload with last-good fallback, pinned snapshots."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from coach.domain.errors import UserError
from coach.library import Library
from tests.library.fixtures import PERSONA, make_library, write


def touch_later(path: Path) -> None:
    """Make sure the edit is seen even on filesystems with coarse timestamps."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_valid_library_loads_without_problems(tmp_path: Path) -> None:
    lib = Library(make_library(tmp_path))
    assert lib.problems == []
    assert list(lib.personas) == ["envoy"]
    assert list(lib.scenarios) == ["border-talks"]
    assert list(lib.rubrics) == ["default"]
    assert lib.files == [
        "personas/envoy.yaml",
        "personas/scenarios/border-talks.yaml",
        "rubrics/default.yaml",
    ]


def test_root_defaults_to_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_LIBRARY_DIR", str(make_library(tmp_path)))
    assert Library().root == tmp_path
    assert "envoy" in Library().personas


def test_bad_file_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    make_library(tmp_path)
    write(tmp_path, "personas/broken.yaml", "id: [unclosed\n")
    lib = Library(tmp_path)
    assert list(lib.personas) == ["envoy"]
    assert [str(p) for p in lib.errors] == [
        "personas/broken.yaml:2: YAML syntax error at column 1: "
        "expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence started on line 1)"
    ]


def test_get_persona_suggests_close_ids(tmp_path: Path) -> None:
    lib = Library(make_library(tmp_path))
    assert lib.get_persona("envoy").name == "Viktor Hale"
    with pytest.raises(UserError, match=r"unknown persona 'envoi'; did you mean 'envoy'\?"):
        lib.get_persona("envoi")
    with pytest.raises(UserError, match=r"unknown rubric 'zzz'; known rubrics: default"):
        lib.get_rubric("zzz")


def test_version_is_the_content_hash(tmp_path: Path) -> None:
    import hashlib

    lib = Library(make_library(tmp_path))
    data = (tmp_path / "personas/envoy.yaml").read_bytes()
    assert lib.version_of("persona", "envoy") == hashlib.sha256(data).hexdigest()[:12]


def test_hot_reload_picks_up_edits_and_keeps_last_good(tmp_path: Path) -> None:
    make_library(tmp_path)
    lib = Library(tmp_path)
    first = lib.version_of("persona", "envoy")
    assert lib.refresh() is False  # nothing changed

    path = tmp_path / "personas/envoy.yaml"
    path.write_text(PERSONA.replace("Viktor Hale", "Viktor Hale-Brand"), encoding="utf-8")
    touch_later(path)
    assert lib.refresh() is True
    second = lib.version_of("persona", "envoy")
    assert second != first
    assert lib.get_persona("envoy").name == "Viktor Hale-Brand"

    path.write_text(PERSONA.replace("temperament: patient", "temperament: grumpy"), "utf-8")
    touch_later(path)
    lib.refresh()
    assert lib.get_persona("envoy").name == "Viktor Hale-Brand"  # last good still served
    assert lib.version_of("persona", "envoy") == second
    assert [str(p) for p in lib.errors] == [
        "personas/envoy.yaml:8: temperament: unknown temperament 'grumpy'; expected one of "
        "'hothead', 'patient', 'charming', 'deceptive', 'calculating'"
    ]
    assert [str(p) for p in lib.warnings] == [
        f"personas/envoy.yaml: the file has errors; its last good version ({second}) "
        "stays in service until they are fixed"
    ]

    path.write_text(PERSONA, encoding="utf-8")
    touch_later(path)
    lib.refresh()
    assert lib.problems == []
    assert lib.version_of("persona", "envoy") == first


def test_cross_file_error_after_edit_keeps_last_good(tmp_path: Path) -> None:
    make_library(tmp_path)
    lib = Library(tmp_path)
    path = tmp_path / "personas/envoy.yaml"
    path.write_text(PERSONA.replace("scenario: border-talks", "scenario: border-talk"), "utf-8")
    touch_later(path)
    lib.refresh()
    assert lib.get_persona("envoy").scenario == "border-talks"
    assert [str(p) for p in lib.errors] == [
        "personas/envoy.yaml:5: scenario: unknown scenario 'border-talk'; "
        "did you mean 'border-talks'?"
    ]


def test_new_and_deleted_files(tmp_path: Path) -> None:
    make_library(tmp_path)
    lib = Library(tmp_path)
    write(tmp_path, "personas/envoy2.yaml", PERSONA.replace("id: envoy", "id: envoy2"))
    lib.refresh()
    assert sorted(lib.personas) == ["envoy", "envoy2"]
    (tmp_path / "personas/envoy2.yaml").unlink()
    lib.refresh()
    assert sorted(lib.personas) == ["envoy"]


def test_snapshot_pins_deep_copies_and_versions(tmp_path: Path) -> None:
    make_library(tmp_path)
    lib = Library(tmp_path)
    persona, scenario, rubric, versions = lib.snapshot("envoy")
    assert (persona.id, scenario.id, rubric.id) == ("envoy", "border-talks", "default")
    assert versions == {
        "persona": lib.version_of("persona", "envoy"),
        "scenario": lib.version_of("scenario", "border-talks"),
        "rubric": lib.version_of("rubric", "default"),
    }
    persona.tactics.append("linkage")  # a session's copy never leaks into the library
    assert "linkage" not in lib.get_persona("envoy").tactics

    path = tmp_path / "personas/envoy.yaml"
    path.write_text(PERSONA.replace("Viktor Hale", "Someone Else"), encoding="utf-8")
    touch_later(path)
    lib.refresh()
    assert persona.name == "Viktor Hale"  # the running session keeps its version
    assert lib.snapshot("envoy", "border-talks", "default")[0].name == "Someone Else"
    with pytest.raises(UserError, match="unknown scenario"):
        lib.snapshot("envoy", "nowhere")


def test_refresh_is_safe_from_many_threads(tmp_path: Path) -> None:
    lib = Library(make_library(tmp_path))
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                lib.refresh(force=True)
                assert lib.get_persona("envoy").id == "envoy"
        except BaseException as err:
            failures.append(err)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []

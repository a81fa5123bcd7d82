"""`coach eval` end to end: offline and through the stub OpenAI-compatible server."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from coach.cli import main
from coach.cli.eval import ProgressBar
from tests.support.stub_server import Call, Status, StubServer

ROOT = Path(__file__).resolve().parents[2]
OWN = ROOT / "evals" / "transcripts"
DEV = next(p for p in (Path("/work/shared/evalsets/dev"), ROOT / "evals" / "dev") if p.is_dir())
SCORE_PY = next(
    p for p in (Path("/work/shared/evalsets/score.py"), ROOT / "evals" / "score.py") if p.is_file()
)
EXTERNAL = re.compile(r"(src|href|action)\s*=\s*[\"']?\s*(https?:)?//|url\(|@import|<script|<link")
COACH = [str(Path(sys.executable).parent / "coach")]


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No endpoint, the repo's rubrics, a private data dir, real models blocked."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_EVALUATOR_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COACH_BLOCK_REAL_MODELS", "1")
    monkeypatch.setenv("COACH_LIBRARY_DIR", str(ROOT))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_LLM_RETRIES", "0")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "in"
    shutil.copytree(OWN, target)
    bad = json.loads((OWN / "river-dam-01.json").read_text("utf-8"))
    del bad["turns"][2]["speaker"]
    (target / "broken.json").write_text(json.dumps(bad), encoding="utf-8")
    return target


def test_offline_end_to_end_with_a_malformed_file(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    assert main(["eval", str(folder), "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "Evaluated 4 of 5 file(s) with judge offline (rubric default)." in stdout
    assert "1 file(s) failed to load and were skipped:" in stdout
    assert f"{folder / 'broken.json'}: turns[2].speaker: Field required" in stdout
    assert "Agreement with gold (3 transcripts)" in stdout
    assert f"Report: {out / 'report.html'}" in stdout
    for name in ("summary.json", "scores.csv", "report.html"):
        assert (out / name).is_file()
    assert sorted(p.name for p in (out / "transcripts").iterdir()) == sorted(
        p.name for p in OWN.glob("*.json")
    )
    html = (out / "report.html").read_text("utf-8")
    assert not EXTERNAL.search(html)
    assert "http://" not in html and "https://" not in html
    assert "turns[2].speaker" in html
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["failures"][0]["path"] == str(folder / "broken.json")
    labelled = json.loads((out / "transcripts" / "river-dam-02.json").read_text("utf-8"))
    assert all(t["labels"]["judge"] == "offline" for t in labelled["turns"][1::2])


def test_nothing_evaluated_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "only.json").write_text('{"id": "x"}', encoding="utf-8")
    assert main(["eval", str(tmp_path / "only.json"), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "only.json: scenario: Field required" in err
    assert "no transcript could be evaluated" in err
    assert not (tmp_path / "o").exists()


def test_llm_judge_without_endpoint_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(OWN), "--judge", "llm"]) == 2
    assert "--judge llm needs a model endpoint" in capsys.readouterr().err


def test_unknown_rubric_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(OWN), "--rubric", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no rubric named 'nope'" in err and "default" in err


def test_bad_concurrency_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(OWN), "--concurrency", "0"]) == 2
    assert "--concurrency must be 1 or more" in capsys.readouterr().err


def test_dev_set_end_to_end_and_score_py_reads_the_output(tmp_path: Path) -> None:
    # Its speed is a benchmark figure (`coach bench`: offline judge turns/s), not asserted here.
    out = tmp_path / "dev-report"
    start = time.monotonic()
    done = subprocess.run(
        [*COACH, "eval", str(DEV), "--out", str(out)], capture_output=True, text=True, check=False
    )
    print(f"\ncoach eval on the dev set: {time.monotonic() - start:.1f} s")
    assert done.returncode == 0, done.stderr
    scored = subprocess.run(
        [sys.executable, str(SCORE_PY), "--gold", str(DEV), "--pred", str(out / "transcripts")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    metrics = json.loads(scored.stdout)
    assert metrics["transcripts"] == 24 and metrics["missing_predictions"] == []
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["agreement"] == metrics


def test_progress_bar_only_on_a_tty() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = ProgressBar(stream, width=10)
        bar(1, 4)
        bar(4, 4)
    assert "[##########] 4/4 turns\n" in tty.getvalue()
    assert pipe.getvalue() == ""


# --- the LLM judge through the stub server --------------------------------------------------


def verdict_for(body: dict[str, Any]) -> str:
    """A valid reply for the schema in the request (trainee or session verdict, tactic tags)."""
    return verdict_of(body["response_format"]["json_schema"]["schema"])


def verdict_of(schema: dict[str, Any]) -> str:
    if schema["title"] == "TacticVerdict":
        return json.dumps({"reasoning": "r", "tactics": ["threat"]})
    if schema["title"] == "SessionVerdict":
        names = schema["$defs"]["SessionCriteriaVerdicts"]["properties"]
        return json.dumps(
            {"criteria": {c: {"reasoning": "arc", "score": 3, "evidence": ""} for c in names}}
        )
    criteria = schema["$defs"]["CriteriaVerdicts"]["properties"]
    return json.dumps({
        "criteria": {c: {"reasoning": "r", "score": 4, "evidence": ""} for c in criteria},
        "labels_reasoning": "r", "tone": 4, "escalation": 0,
        "red_line_breaches": [], "tactics_named": [],
    })  # fmt: skip


def stub_with_meter(latency: float = 0.0) -> tuple[StubServer, dict[str, int]]:
    """A stub answering valid verdicts, with a middleware that records the peak in flight."""
    stub = StubServer(default_reply=Call(verdict_for), latency=latency)  # type: ignore[arg-type]
    meter = {"now": 0, "peak": 0}

    @stub.app.middleware("http")
    async def count(request: Any, call_next: Any) -> Any:
        meter["now"] += 1
        meter["peak"] = max(meter["peak"], meter["now"])
        try:
            return await call_next(request)
        finally:
            meter["now"] -= 1

    return stub, meter


def _use(stub: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("COACH_EVALUATOR_MODEL", "stub-judge")


def test_llm_rerun_is_answered_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stub, _ = stub_with_meter()
    with stub:
        _use(stub, monkeypatch)
        files = sorted(OWN.glob("*.json"))
        turns = sum(len(json.loads(p.read_text("utf-8"))["turns"]) for p in files)
        assert main(["eval", str(OWN), "--judge", "llm", "--out", str(tmp_path / "a")]) == 0
        assert len(stub.requests) == turns + len(files)  # one session call per transcript
        first = capsys.readouterr().out
        assert f"Turns judged: {turns}, from cache: 0" in first
        stub.requests.clear()
        assert main(["eval", str(OWN), "--judge", "llm", "--out", str(tmp_path / "b")]) == 0
        assert stub.requests == []
        assert f"Turns judged: 0, from cache: {turns}" in capsys.readouterr().out
    assert (tmp_path / "data" / "cache" / "judge").is_dir()
    a = json.loads((tmp_path / "a" / "transcripts" / "river-dam-01.json").read_text("utf-8"))
    b = json.loads((tmp_path / "b" / "transcripts" / "river-dam-01.json").read_text("utf-8"))
    assert a == b
    assert a["turns"][1]["labels"]["judge"] == "llm:openai/stub-judge"
    assert a["turns"][0]["tactics_judge"] == "llm:openai/stub-judge"
    summary = json.loads((tmp_path / "b" / "summary.json").read_text("utf-8"))
    arc = summary["transcripts"][0]["criteria"][-1]
    assert arc["criterion"] == "coalitions-legitimacy"
    assert (arc["score"], arc["judge"], arc["reason"]) == (3.0, "llm:openai/stub-judge", "arc")


def test_llm_concurrency_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stub, meter = stub_with_meter(latency=0.05)
    with stub:
        _use(stub, monkeypatch)
        args = ["eval", str(OWN), "--judge", "llm", "--no-cache", "--concurrency", "3"]
        assert main([*args, "--out", str(tmp_path / "r")]) == 0
    assert meter["peak"] == 3


def test_llm_garbage_is_unscored_with_offline_labels_marked_as_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with StubServer(default_reply="Certainly! Here is my verdict: 5/5.") as stub:
        _use(stub, monkeypatch)
        out = tmp_path / "r"
        assert (
            main(["eval", str(OWN / "river-dam-02.json"), "--judge", "llm", "--out", str(out)]) == 0
        )
        # every turn, and the session, asked twice (one retry), then the fallback
        assert len(stub.requests) == 2 * (4 + 1)
    printed = capsys.readouterr().out
    assert "unscored by the judge (fallback labels): 2" in printed
    assert "Session criteria: the judge could not score 1 transcript(s)" in printed
    data = json.loads((out / "transcripts" / "river-dam-02.json").read_text("utf-8"))
    for turn in data["turns"]:
        if turn["speaker"] == "trainee":
            assert turn["labels"]["judge"].startswith("offline (fallback: invalid output twice")
            assert "could not score this turn" in turn["labels"]["unscored_reason"]
        else:
            assert turn["tactics_judge"].startswith("offline (fallback:")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    arc = summary["transcripts"][0]["criteria"][-1]
    assert arc["judge"].startswith("offline measure (fallback: invalid output twice")
    assert arc["reason"].startswith("llm:openai/stub-judge could not score the session")
    assert arc["score"] is not None  # the legitimacy measure stands in


def test_a_run_configuration_file_and_minimums(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "run.args"
    config.write_text(f"eval\n{OWN}\n--out\n{tmp_path / 'out'}\n", encoding="utf-8")
    assert main([f"@{config}", "--min", "tone.within_1=0.0"]) == 0
    assert (tmp_path / "out" / "summary.json").is_file()
    assert main([f"@{config}", "--min", "red_line.f1=1.01"]) == 1
    assert "Below the minimum: red_line.f1 = " in capsys.readouterr().err
    assert main([f"@{config}", "--min", "nonsense.metric=1"]) == 2
    assert "no metric 'nonsense.metric'" in capsys.readouterr().err


def test_shipped_run_configurations_parse() -> None:
    from coach.cli import build_parser

    for path in sorted((ROOT / "evals" / "configs").glob("*.args")):
        args = build_parser().parse_args([f"@{path}"])
        assert args.command == "eval" and args.paths, path


def test_llm_judge_on_a_server_without_json_mode_that_thinks_aloud(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Like llama.cpp serving a reasoning model: HTTP 400 to any response_format, replies
    with a <think> block before the JSON. The client steps down once to JSON in the prompt
    and every turn is still scored by the LLM judge."""

    def server(body: dict[str, Any]) -> Any:
        if "response_format" in body:
            return Status(400, "response_format is not supported by this server")
        system = body["messages"][0]["content"]
        schema = json.loads(system.split("JSON schema of your reply:\n", 1)[1])
        return "<think>Reading the turn against the rubric.</think>\n" + verdict_of(schema)

    with StubServer(default_reply=Call(server)) as stub:  # type: ignore[arg-type]
        _use(stub, monkeypatch)
        out = tmp_path / "r"
        one = OWN / "river-dam-02.json"
        args = ["eval", str(one), "--judge", "llm", "--no-cache", "--concurrency", "1"]
        assert main([*args, "--out", str(out)]) == 0
        kinds = [r.get("response_format", {}).get("type") for r in stub.requests]
    turns = len(json.loads(one.read_text("utf-8"))["turns"])
    # two refusals (json_schema, json_object) on the first request, then one request a turn
    # and one for the session
    assert kinds[:3] == ["json_schema", "json_object", None]
    assert len(kinds) == turns + 1 + 2
    data = json.loads((out / "transcripts" / "river-dam-02.json").read_text("utf-8"))
    for turn in data["turns"]:
        if turn["speaker"] == "trainee":
            assert turn["labels"]["judge"] == "llm:openai/stub-judge"
            assert turn["labels"].get("unscored_reason") is None
        else:
            assert turn["tactics_judge"] == "llm:openai/stub-judge"
    arc = json.loads((out / "summary.json").read_text("utf-8"))["transcripts"][0]["criteria"][-1]
    assert arc["judge"] == "llm:openai/stub-judge"
    assert "json_mode='none'" in caplog.text

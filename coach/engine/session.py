"""SessionService: the facade the UI and the CLI call to run practice sessions."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from coach.config import Settings
from coach.domain.assessment import SessionReview, TurnAssessment
from coach.domain.errors import ModelError, UserError
from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.domain.transcript import Turn
from coach.engine.builder import build_graph
from coach.engine.context import SessionContext
from coach.engine.persistence import SessionRecord, Store, open_store, timestamp
from coach.engine.state import SessionState, TurnInput
from coach.engine.transcript import assessment_of, build_transcript
from coach.engine.views import BranchInfo, SessionInfo, SessionView, TurnOutcome
from coach.evaluation.base import Judge
from coach.evaluation.scoring import session_result
from coach.llm.base import ChatModel

TokenCallback = Callable[[str], Awaitable[None]]


class LibraryLike(Protocol):
    """What the engine needs from the library: pinned copies of the items a session uses."""

    def snapshot(
        self, persona_id: str, scenario_id: str | None, rubric_id: str
    ) -> tuple[Persona, Scenario, Rubric, dict[str, str]]: ...


def _offline_judge(quick: bool = False) -> Judge:
    from coach.evaluation.offline import OfflineJudge
    from coach.evaluation.offline.ensemble import SIGNALS

    return OfflineJudge(config=SIGNALS) if quick else OfflineJudge()


class SessionService:
    """Start, play, rewind, end and list practice sessions."""

    def __init__(
        self,
        settings: Settings,
        library: LibraryLike,
        store: Store,
        *,
        counterpart_model: ChatModel | None = None,
        evaluator_model: ChatModel | None = None,
        on_model_error: Literal["offline", "raise"] = "offline",
        quick_judge: Judge | None = None,
    ) -> None:
        self.settings = settings
        self.library = library
        self.store = store
        self.counterpart_model = counterpart_model
        offline = quick_judge or _offline_judge()
        if quick_judge is None and counterpart_model is None and evaluator_model is None:
            # Fully offline nothing streams: the reply waits for the judge anyway. So the
            # strategist reads the full judge's verdict and the evaluator reuses it, and the
            # counterpart presses on exactly what the coach calls a concession.
            quick_judge = offline
        # With an LLM, the strategist's quick read sits on the path to the counterpart's
        # reply, so it skips the red-line head; the judge labels the turn beside the speaker.
        self.quick_judge = quick_judge or _offline_judge(quick=True)
        self.judge: Judge = offline
        if evaluator_model is not None:
            from coach.evaluation.llm_judge import LLMJudge

            self.judge = LLMJudge(evaluator_model, fallback=offline)
        self.on_model_error = on_model_error
        self.graph: CompiledStateGraph[SessionState, SessionContext, TurnInput, SessionState] = (
            build_graph().compile(checkpointer=store.checkpointer)
        )
        self._locks: dict[str, asyncio.Lock] = {}
        self._contexts: dict[str, tuple[SessionRecord, SessionContext]] = {}

    @classmethod
    async def open(
        cls,
        settings: Settings,
        library: LibraryLike,
        *,
        database_url: str | None = None,
        **kwargs: Any,
    ) -> SessionService:
        """Open the store (SQLite under the data folder by default) and the service on it."""
        from coach.engine.persistence import default_database_url

        store = await open_store(database_url or default_database_url(settings.data_dir))
        return cls(settings, library, store, **kwargs)

    async def aclose(self) -> None:
        """Release the store."""
        await self.store.aclose()

    @property
    def review_calls_a_model(self) -> bool:
        """Whether ending a session waits for a model (an LLM judge scores the session)."""
        return self.judge.name.startswith("llm:")

    @property
    def backend(self) -> str:
        """The active counterpart backend, for display."""
        if self.counterpart_model is None:
            return "offline phrasebook (no LLM configured)"
        return f"LLM {self.counterpart_model.name}"

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(
        self,
        *,
        user: str,
        persona_id: str,
        scenario_id: str | None = None,
        mode: Literal["practice", "exam"] = "practice",
        difficulty: str | None = None,
        rubric_id: str | None = None,
        on_token: TokenCallback | None = None,
        session_id: str | None = None,
    ) -> SessionView:
        """Create a session and play the counterpart's opening move.

        `session_id` is normally generated; a fixed one makes an offline session reproducible
        (the phrasebook's choices are seeded by it).
        """
        if mode not in ("practice", "exam"):
            raise UserError(f"unknown mode {mode!r}: use practice or exam")
        rubric_id = rubric_id or ("exam" if mode == "exam" else "default")
        persona, scenario, rubric, versions = self.library.snapshot(
            persona_id, scenario_id, rubric_id
        )
        if difficulty and persona.difficulties and difficulty not in persona.difficulties:
            names = ", ".join(persona.difficulties)
            raise UserError(f"persona {persona.id} has no difficulty {difficulty!r}: {names}")
        record = SessionRecord(
            session_id=session_id or f"s-{secrets.token_hex(6)}",
            user=user,
            created_at=timestamp(),
            persona_id=persona.id,
            scenario_id=scenario.id,
            rubric_id=rubric.id,
            mode=mode,
            difficulty=difficulty,
            pinned={
                "persona": persona.model_dump(mode="json"),
                "scenario": scenario.model_dump(mode="json"),
                "rubric": rubric.model_dump(mode="json"),
                "versions": versions,
            },
        )
        await self.store.add(record)
        await self._run(record.session_id, {"command": "open"}, on_token)
        return await self.view(record.session_id)

    async def send(
        self, session_id: str, text: str, *, on_token: TokenCallback | None = None
    ) -> TurnOutcome:
        """Play one trainee message; the reply, the verdict and the hint come back."""
        try:
            await self._run(session_id, {"incoming": text}, on_token)
        except ModelError as err:
            return TurnOutcome(
                accepted=True,
                model_error=f"{err} Your message is kept: retry when ready.",
                view=await self.view(session_id),
            )
        values = await self._values(session_id)
        view = await self.view(session_id, values)
        if values.get("rejection"):
            return TurnOutcome(accepted=False, error=values["rejection"], view=view)
        return self._outcome(values, view)

    async def retry(self, session_id: str, *, on_token: TokenCallback | None = None) -> TurnOutcome:
        """Resume a turn that a model failure interrupted (the trainee's message was kept)."""
        _, ctx = await self._context(session_id)
        config = self._config(session_id)
        snapshot = await self.graph.aget_state(config)
        if not snapshot.next:
            raise UserError("nothing to retry: the last turn completed")
        try:
            await self._stream(None, config, ctx, on_token)
        except ModelError as err:
            return TurnOutcome(
                accepted=True, model_error=str(err), view=await self.view(session_id)
            )
        values = await self._values(session_id)
        return self._outcome(values, await self.view(session_id, values))

    async def end(self, session_id: str) -> SessionReview:
        """Close the session and return the after-action review."""
        values = await self._values(session_id)
        if not values.get("ended"):
            await self._run(session_id, {"command": "end"}, None)
            values = await self._values(session_id)
        return SessionReview.model_validate(values["review"])

    # -- branches ----------------------------------------------------------------------------

    async def rewind(self, session_id: str, trainee_turn: int) -> SessionView:
        """Continue from just before trainee turn N (1-based) as a new branch (practice only)."""
        await self._refuse_in_exam(session_id, "rewind")
        snapshots = await self._current_branch(session_id)
        played = _count_trainee(snapshots[0].values) if snapshots else 0
        if not 1 <= trainee_turn <= played:
            raise UserError(
                f"cannot rewind to turn {trainee_turn}: this branch has turns 1-{played}"
            )
        target = next(
            (
                s
                for s in snapshots
                if not s.next
                and _count_trainee(s.values) == trainee_turn - 1
                and not s.values.get("ended")
                and s.values.get("turns")
            ),
            None,
        )
        if target is None:
            raise UserError(f"no saved point before turn {trainee_turn}")
        await self._fork(target.config)
        return await self.view(session_id)

    async def branches(self, session_id: str) -> list[BranchInfo]:
        """The tips of every line of play in the session, the current one marked."""
        config = self._config(session_id)
        head = await self.graph.aget_state(config)
        all_snaps = [s async for s in self.graph.aget_state_history(config)]
        parents = {
            s.parent_config["configurable"]["checkpoint_id"] for s in all_snaps if s.parent_config
        }
        tips = []
        for snap in all_snaps:
            cid = snap.config["configurable"]["checkpoint_id"]
            if cid in parents or snap.next or not snap.values.get("turns"):
                continue
            turns = snap.values.get("turns") or []
            trainee = [t for t in turns if t["speaker"] == "trainee"]
            tips.append(
                BranchInfo(
                    checkpoint_id=cid,
                    trainee_turns=len(trainee),
                    last_text=(trainee[-1]["text"] if trainee else turns[-1]["text"])[:120],
                    created_at=snap.created_at or "",
                    current=cid == head.config["configurable"]["checkpoint_id"],
                    ended=bool(snap.values.get("ended")),
                )
            )
        return sorted(tips, key=lambda b: b.created_at)

    async def checkout(self, session_id: str, checkpoint_id: str) -> SessionView:
        """Make an earlier branch's tip the current line of play again (practice only)."""
        await self._refuse_in_exam(session_id, "switch attempts")
        config: RunnableConfig = {
            "configurable": {"thread_id": session_id, "checkpoint_id": checkpoint_id}
        }
        snap = await self.graph.aget_state(config)
        if not snap.values:
            raise UserError(f"no branch {checkpoint_id!r} in session {session_id}")
        await self._fork(snap.config)
        return await self.view(session_id)

    async def _refuse_in_exam(self, session_id: str, what: str) -> None:
        """An exam is one line of play: taking a move back would let a trainee probe the
        counterpart and replay the moments the review is built on."""
        if (await self.store.get(session_id)).mode == "exam":
            raise UserError(f"cannot {what} in exam mode: an exam is played once, move by move")

    async def _fork(self, config: RunnableConfig) -> None:
        """Write a copy of an earlier idle checkpoint as the new head of the thread."""
        configurable = {"checkpoint_ns": "", **config["configurable"]}
        await self.graph.aupdate_state(
            {"configurable": configurable}, {"rejection": None}, as_node="feedback"
        )

    # -- reading -----------------------------------------------------------------------------

    async def view(self, session_id: str, values: dict[str, Any] | None = None) -> SessionView:
        """The session as it stands on its current branch."""
        record, ctx = await self._context(session_id)
        if values is None:
            values = await self._values(session_id)
        transcript = build_transcript(
            session_id,
            ctx.scenario,
            values,
            {
                "persona": record.persona_id,
                "mode": record.mode,
                "versions": record.pinned.get("versions", {}),
            },
        )
        hints = {int(k): v for k, v in (values.get("hints") or {}).items()}
        last_trainee = max(
            (i for i, t in enumerate(transcript.turns) if t.speaker == "trainee"), default=None
        )
        review = values.get("review")
        level = values.get("level", 0)
        return SessionView(
            session_id=session_id,
            user=record.user,
            persona=ctx.persona,
            scenario=ctx.scenario,
            rubric=ctx.rubric,
            mode=record.mode,
            difficulty=record.difficulty,
            transcript=transcript,
            level=level,
            level_name=ctx.persona.ladder.levels[level].name,
            ledger=list(values.get("ledger") or []),
            scorecard=self._scorecard(values, ctx.rubric),
            last_hint=hints.get(last_trainee) if last_trainee is not None else None,
            hints=hints,
            ended=bool(values.get("ended")),
            review=SessionReview.model_validate(review) if review else None,
            backend=self.backend,
            versions=record.pinned.get("versions", {}),
        )

    async def sessions_of(self, user: str) -> list[SessionInfo]:
        """A user's sessions, newest first."""
        return [
            SessionInfo(
                session_id=r.session_id,
                created_at=r.created_at,
                persona_id=r.persona_id,
                scenario_id=r.scenario_id,
                mode=r.mode,
            )
            for r in await self.store.of_user(user)
        ]

    async def owner_of(self, session_id: str) -> str:
        """The user a session belongs to."""
        return (await self.store.get(session_id)).user

    # -- internals ---------------------------------------------------------------------------

    def _config(self, session_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": session_id}}

    async def _values(self, session_id: str) -> dict[str, Any]:
        return dict((await self.graph.aget_state(self._config(session_id))).values)

    async def _context(self, session_id: str) -> tuple[SessionRecord, SessionContext]:
        if session_id not in self._contexts:
            record = await self.store.get(session_id)
            pinned = record.pinned
            ctx = SessionContext(
                persona=Persona.model_validate(pinned["persona"]),
                scenario=Scenario.model_validate(pinned["scenario"]),
                rubric=Rubric.model_validate(pinned["rubric"]),
                judge=self.judge,
                quick_judge=self.quick_judge,
                counterpart_model=self.counterpart_model,
                mode=record.mode,  # type: ignore[arg-type]
                difficulty=record.difficulty,
                session_id=session_id,
                token_budget=self.settings.token_budget,
                max_message_chars=self.settings.max_message_chars,
                on_model_error=self.on_model_error,
                backend=self.backend,
            )
            self._contexts[session_id] = (record, ctx)
        return self._contexts[session_id]

    async def _run(
        self, session_id: str, payload: TurnInput, on_token: TokenCallback | None
    ) -> None:
        _, ctx = await self._context(session_id)
        lock = self._locks.setdefault(session_id, asyncio.Lock())
        async with lock:
            await self._stream(payload, self._config(session_id), ctx, on_token)

    async def _stream(
        self,
        payload: TurnInput | None,
        config: RunnableConfig,
        ctx: SessionContext,
        on_token: TokenCallback | None,
    ) -> None:
        async for mode, chunk in self.graph.astream(
            payload,
            config,
            context=ctx,
            stream_mode=["custom", "updates"],
            # One checkpoint per turn, written when the run exits, on success or on error (a
            # model failure keeps the trainee's message for a retry): a third of the cost.
            durability="exit",
        ):
            if mode == "custom" and on_token is not None and isinstance(chunk, dict):
                await on_token(str(chunk.get("token", "")))

    def _outcome(self, values: dict[str, Any], view: SessionView) -> TurnOutcome:
        turns = values.get("turns") or []
        reply = (
            Turn.model_validate(turns[-1])
            if turns and turns[-1]["speaker"] == "counterpart"
            else None
        )
        index = max((i for i, t in enumerate(turns) if t["speaker"] == "trainee"), default=None)
        verdict: TurnAssessment | None = assessment_of(values, index) if index is not None else None
        return TurnOutcome(
            accepted=True,
            reply=reply,
            assessment=verdict,
            hint=view.last_hint,
            model_error=values.get("model_error"),
            view=view,
        )

    @staticmethod
    def _scorecard(values: dict[str, Any], rubric: Rubric) -> dict[str, float | None]:
        sums: dict[str, list[int]] = {c.id: [] for c in rubric.criteria}
        for raw in (values.get("assessments") or {}).values():
            for cs in (raw.get("labels") or {}).get("criteria") or []:
                if cs.get("score") is not None and cs["criterion"] in sums:
                    sums[cs["criterion"]].append(cs["score"])
        card = {k: round(sum(v) / len(v), 2) if v else None for k, v in sums.items()}
        said = [t["text"] for t in values.get("turns") or [] if t["speaker"] == "trainee"]
        for c in rubric.criteria:
            if c.applies_to == "session":  # read over the turns so far
                card[c.id] = session_result(c, said).score
        return card

    async def _current_branch(self, session_id: str) -> list[Any]:
        """Snapshots from the head back to the root along parent links (newest first)."""
        config = self._config(session_id)
        by_id = {}
        async for snap in self.graph.aget_state_history(config):
            by_id[snap.config["configurable"]["checkpoint_id"]] = snap
        head = await self.graph.aget_state(config)
        chain = []
        cid: str | None = head.config["configurable"].get("checkpoint_id")
        while cid and cid in by_id:
            snap = by_id[cid]
            chain.append(snap)
            cid = (
                snap.parent_config["configurable"]["checkpoint_id"] if snap.parent_config else None
            )
        return chain


def _count_trainee(values: dict[str, Any]) -> int:
    return sum(1 for t in values.get("turns") or [] if t["speaker"] == "trainee")

// The live scorecard beside the chat. Props come from coach/ui/render.py:scorecard_props.
export default function Scorecard() {
  const level = props.level || { index: 0, name: "", max: 1 };
  const criteria = props.criteria || [];
  const redLines = props.redLines || [];
  const pct = level.max > 0 ? Math.round((100 * level.index) / level.max) : 0;
  const breached = redLines.some((r) => r.breached);
  const scoreColour = (s) =>
    s === null ? "bg-gray-300" : s >= 4 ? "bg-green-600" : s >= 3 ? "bg-yellow-500" : "bg-red-600";

  return (
    <div id="coach-scorecard" className="flex flex-col gap-4 p-2 text-sm">
      <div className="text-xs text-muted-foreground" data-testid="backend">
        Backend: {props.backend}
      </div>
      <div>
        <span className="font-semibold">Mode:</span> {props.mode} ·{" "}
        <span className="font-semibold">Moves:</span>{" "}
        <span data-testid="turns">{props.turns}</span>
        {props.ended ? " · session ended" : ""}
      </div>

      <section>
        <div className="font-semibold mb-1">Escalation</div>
        <div className="w-full h-3 rounded bg-gray-200 overflow-hidden">
          <div className="h-3 bg-red-600" style={{ width: pct + "%" }} />
        </div>
        <div className="mt-1" data-testid="level">
          Level {level.index} of {level.max}: {level.name}
        </div>
      </section>

      <section>
        <div className="font-semibold mb-1">
          Red lines: {breached ? "BREACHED" : "intact"}
        </div>
        <ul className="flex flex-col gap-1">
          {redLines.map((r) => (
            <li key={r.id} data-testid={"redline-" + r.id}
                className={r.breached ? "text-red-600 font-semibold" : "text-green-700"}>
              {r.breached ? "✗ " : "✓ "}
              {r.statement}
              {r.breached && r.turn !== null ? " (breached)" : ""}
            </li>
          ))}
        </ul>
      </section>

      <section>
        <div className="font-semibold mb-1">Scores so far (1–5)</div>
        <ul className="flex flex-col gap-1">
          {criteria.map((c) => (
            <li key={c.id} className="flex items-center gap-2" data-testid={"score-" + c.id}>
              <span className="flex-1">{c.name}{c.blocker ? " *" : ""}</span>
              <span className="w-16 h-2 rounded bg-gray-200 overflow-hidden">
                <span className={"block h-2 " + scoreColour(c.score)}
                      style={{ width: c.score === null ? "0%" : (c.score * 20) + "%" }} />
              </span>
              <span className="w-8 text-right">{c.score === null ? "–" : c.score.toFixed(1)}</span>
            </li>
          ))}
        </ul>
      </section>

      {props.hint ? (
        <section className="rounded border border-blue-300 bg-blue-50 p-2 text-blue-900"
                 data-testid="hint">
          <div className="font-semibold">Hint</div>
          <div>{props.hint}</div>
        </section>
      ) : null}
    </div>
  );
}

// The live scorecard beside the chat. Props come from coach/ui/render.py:scorecard_props.
// Colours are inline styles: only the Tailwind classes Chainlit itself uses are compiled.
const RED = "#dc2626";
const GREEN = "#16a34a";
const AMBER = "#eab308";
const TRACK = "rgba(127,127,127,0.25)";

function Bar({ fraction, colour, width }) {
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  return (
    <span style={{ display: "inline-block", width: width, height: 8, borderRadius: 4,
                   background: TRACK, overflow: "hidden", verticalAlign: "middle" }}>
      <span style={{ display: "block", width: pct + "%", height: 8, background: colour }} />
    </span>
  );
}

export default function Scorecard() {
  const level = props.level || { index: 0, name: "", max: 1 };
  const criteria = props.criteria || [];
  const redLines = props.redLines || [];
  const breached = redLines.some((r) => r.breached);
  const scoreColour = (s) => (s === null ? TRACK : s >= 4 ? GREEN : s >= 3 ? AMBER : RED);

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
        <Bar fraction={level.max > 0 ? level.index / level.max : 0} colour={RED} width="100%" />
        <div className="mt-1" data-testid="level">
          Level {level.index} of {level.max}: {level.name}
        </div>
      </section>

      <section>
        <div className="font-semibold mb-1" style={{ color: breached ? RED : undefined }}>
          Red lines: {breached ? "BREACHED (the session fails)" : "intact"}
        </div>
        <ul className="flex flex-col gap-1">
          {redLines.map((r) => (
            <li key={r.id} data-testid={"redline-" + r.id}
                style={{ color: r.breached ? RED : GREEN, fontWeight: r.breached ? 600 : 400 }}>
              {r.breached ? "✗ " : "✓ "}
              {r.statement}
            </li>
          ))}
        </ul>
      </section>

      {props.scoresHidden ? (
        <section data-testid="scores-hidden">
          <div className="font-semibold mb-1">Scores</div>
          <div className="text-muted-foreground">
            Exam mode: your scores and hints stay hidden until the after-action review
            (End session).
          </div>
        </section>
      ) : (
        <section>
          <div className="font-semibold mb-1">
            {props.ended ? "Final scores (1–5)" : "Scores so far (1–5)"}
          </div>
          <ul className="flex flex-col gap-1">
            {criteria.map((c) => (
              <li key={c.id} className="flex items-center gap-2" data-testid={"score-" + c.id}>
                <span className="flex-1">{c.name}{c.blocker ? " *" : ""}</span>
                <Bar fraction={c.score === null ? 0 : c.score / 5} colour={scoreColour(c.score)}
                     width={64} />
                <span style={{ width: 32, textAlign: "right" }}>
                  {c.score === null ? "–" : c.score.toFixed(1)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {props.hint ? (
        <section data-testid="hint"
                 style={{ border: "1px solid #3b82f6", background: "rgba(59,130,246,0.12)",
                          borderRadius: 6, padding: 8 }}>
          <div className="font-semibold">Hint</div>
          <div>{props.hint}</div>
        </section>
      ) : null}
    </div>
  );
}

// An attached file in the conversation: its name and size, what it will cost as input before it
// is sent when that is large, and — once an answer came — how the model received it (read, or
// only its name, and why).
import type { FileTurn } from "~/client/conversations";
import { formatBytes } from "~/client/upload";
import { ATTACHMENT_TOKEN_BUDGET, attachmentKind } from "~/shared/attachment-kind";

/** Above this many estimated tokens, the input cost is shown before sending. */
const LARGE_TOKENS = 1_000;
/** The most one image can count as (app/server/llm/tokens.ts IMAGE_TOKEN_BOUND). */
const IMAGE_TOKENS = 3_000;

/** Tokens of input the file will add to each ask, as estimated before sending; null: unknown. */
export function estimatedInputTokens(turn: Pick<FileTurn, "name" | "size">): number | null {
  const kind = attachmentKind(turn.name, "");
  if (kind === "image") return IMAGE_TOKENS;
  if (kind === "text") return Math.min(Math.ceil(turn.size / 4), ATTACHMENT_TOKEN_BUDGET);
  return null;
}

function status(turn: FileTurn): string | null {
  if (turn.shared === "content") return turn.truncated ? "The model read the first part of it." : "The model read it.";
  if (turn.shared === "converted") return "The model read it, converted to text.";
  if (turn.shared === "image") return "The model saw the image.";
  if (turn.shared === "name") return `Only its name was shared with the model: ${turn.reason ?? "it cannot be read"}.`;
  return null;
}

export function FileTurnView({ turn, pricePer1kIn }: { turn: FileTurn; pricePer1kIn: number | null }) {
  const tokens = estimatedInputTokens(turn);
  const said = status(turn);
  const large = !turn.shared && tokens !== null && tokens > LARGE_TOKENS;
  const credits = tokens !== null && pricePer1kIn !== null ? (tokens * pricePer1kIn) / 1000 : null;
  return (
    <div className="ml-auto max-w-full text-right text-sm wrap-anywhere" data-testid="file-turn" dir="auto">
      <p className="muted">
        Attached <strong className="text-zinc-900 dark:text-zinc-100">{turn.name}</strong> ({formatBytes(turn.size)})
      </p>
      {large && (
        <p className="muted text-xs" data-testid="file-cost">
          Sent to the model with each message: about {tokens.toLocaleString("en")} tokens of input
          {credits !== null && <> (≈ {Number(credits.toPrecision(2))} credits)</>}.
        </p>
      )}
      {said && (
        <p className="muted text-xs" data-testid="file-shared">
          {said}
        </p>
      )}
    </div>
  );
}

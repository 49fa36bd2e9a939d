// A streamed answer's tool calls, put together from the pieces OpenAI-compatible providers send:
// each delta names its call by `index`; the first carries id, type and name, later ones append
// to the arguments. Used to bill (estimate) the calls and to keep them with a stored answer.
import type { ToolCall, ToolCallDelta } from "./types";

export function mergeToolCalls(calls: ToolCall[], deltas: ToolCallDelta[]): ToolCall[] {
  const out = [...calls];
  for (const delta of deltas) {
    if (!Number.isInteger(delta.index) || delta.index < 0 || delta.index > 127) continue;
    const current = out[delta.index] ?? { id: "", type: "function", function: { name: "", arguments: "" } };
    out[delta.index] = {
      id: delta.id ?? current.id,
      type: "function",
      function: {
        name: delta.function?.name ?? current.function.name,
        arguments: current.function.arguments + (delta.function?.arguments ?? ""),
      },
    };
  }
  // A provider that skipped an index leaves a hole; holes are not calls.
  return out.filter(Boolean);
}

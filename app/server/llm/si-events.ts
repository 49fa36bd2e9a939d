// /api/si/ask's streamed answer on the wire: `meta`, then `token` events, then exactly one `done`
// or `error` — both carrying the bill (app/shared/ask-events.ts; OPS.md §9).
import { askEvent, billOf } from "~/shared/ask-events";
import type { AttachmentReport } from "../attachments/read";
import type { StreamFormat } from "./stream";

/** The events of an ask; the attachments its messages carried (if any) are reported in `meta`. */
export const siEvents = (attachments: AttachmentReport[]): StreamFormat => ({
  contentType: "text/event-stream; charset=utf-8",
  headers: (route) => ({ "X-Provider": route.provider, "X-Model": route.model }),
  opening: (route, requestId) =>
    askEvent("meta", {
      provider: route.provider,
      model: route.model,
      local_upstream: route.local,
      request_id: requestId,
      ...(attachments.length ? { attachments } : {}),
    }),
  token: (text) => askEvent("token", { text }),
  done: (outcome) => askEvent("done", { ...billOf(outcome), finish_reason: outcome.finish_reason }),
  cutShort: (outcome, message) => askEvent("error", { code: "upstream_interrupted", message, ...billOf(outcome) }),
  replay: (outcome) =>
    [
      askEvent("meta", {
        provider: outcome.provider,
        model: outcome.model,
        request_id: outcome.request_id,
        replayed: true,
      }),
      askEvent("token", { text: outcome.text }),
      askEvent("done", { ...billOf(outcome), finish_reason: outcome.finish_reason }),
    ].join(""),
});

// The streamed answer of POST /api/si/ask, as the Worker writes it and the browser and the tests
// read it: `meta`, then `token`s, then exactly one `done` or `error` — both carrying the bill.
// OPS.md §9 documents the same events for operators.
import { formatSse, readSse } from "./sse";

/** What an answer cost, as every answer reports it (JSON body, `done` and `error` events). */
export interface AskBill {
  provider: string;
  model: string;
  tokens_in: number;
  tokens_out: number;
  estimated: boolean;
  credits_used: number;
  /** The balance after the charge, as of the hold; absent for guests. */
  balance?: number;
  /** The prices charged, in credits per 1,000 input and output tokens. */
  price_in: number;
  price_out: number;
}

const BILL_FIELDS = [
  "provider",
  "model",
  "tokens_in",
  "tokens_out",
  "estimated",
  "credits_used",
  "balance",
  "price_in",
  "price_out",
] as const satisfies ReadonlyArray<keyof AskBill>;

/** An attached file as the answer reports it: read (content, image, converted) or named only. */
export interface AttachmentShared {
  key: string;
  name: string;
  size: number;
  content_type: string;
  shared: "content" | "image" | "converted" | "name";
  truncated?: boolean;
  reason?: string;
}

export interface AskEvents {
  meta: {
    provider: string;
    model: string;
    request_id: string;
    /** True when the local development model answers (absent on a replay). */
    local_upstream?: boolean;
    /** Present when an Idempotency-Key replay returns a stored answer. */
    replayed?: true;
    /** How each attached file reached the model (present when the ask had attachments). */
    attachments?: AttachmentShared[];
  };
  token: { text: string };
  done: AskBill & { finish_reason: string | null };
  /** The answer was cut short; what was delivered is billed. */
  error: AskBill & { code: string; message: string };
}

export type AskEventName = keyof AskEvents;

export type AskEvent = { [Name in AskEventName]: { event: Name; data: AskEvents[Name] } }[AskEventName];

const NAMES: ReadonlySet<string> = new Set<AskEventName>(["meta", "token", "done", "error"]);

/** The bill inside anything that carries one (an answer, a stored outcome), and nothing else. */
export function billOf(source: AskBill): AskBill {
  const bill: Partial<Record<keyof AskBill, unknown>> = {};
  for (const field of BILL_FIELDS) if (source[field] !== undefined) bill[field] = source[field];
  return bill as AskBill;
}

/** One event on the wire. */
export function askEvent<Name extends AskEventName>(event: Name, data: AskEvents[Name]): string {
  return formatSse(event, JSON.stringify(data));
}

/** An answer's events as they arrive; events of other names are skipped. */
export async function* readAskEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<AskEvent> {
  for await (const message of readSse(body)) {
    if (NAMES.has(message.event)) yield { event: message.event, data: JSON.parse(message.data) } as AskEvent;
  }
}

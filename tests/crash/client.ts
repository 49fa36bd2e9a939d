// The harness's clients: accounts made through the admin API, asks in flight (streaming and not)
// under an Idempotency-Key, and the admin's view of an account. What each client received is
// kept, so the checks can compare it with what the ledger charged.
import { readSse } from "../../app/shared/sse.ts";

export interface Account {
  email: string;
  key: string;
}

export interface Ask {
  account: Account;
  stream: boolean;
  body: Record<string, unknown>;
  idempotencyKey: string;
  requestId: string | null;
  status: number | null;
  /** Stream tokens received (a non-streaming answer counts as all of its text). */
  tokens: number;
  text: string;
  /** The stream's `done` event arrived, or the JSON answer did. */
  complete: boolean;
  /** The error body (or the connection error) when there was no answer. */
  failure: string | null;
  finishedAt: number | null;
  /** Resolves when the client is done (answer, error or lost connection). */
  done: Promise<void>;
}

export async function newAccount(origin: string, adminKey: string, email: string): Promise<Account> {
  const response = await fetch(`${origin}/api/admin/keys`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey, "Content-Type": "application/json" },
    body: JSON.stringify({ email, name: "crash harness" }),
  });
  if (response.status !== 201) throw new Error(`key for ${email}: ${response.status} ${await response.text()}`);
  const { key } = (await response.json()) as { key: { secret: string } };
  return { email, key: key.secret };
}

export function headersFor(account: Account, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${account.key}`, "Content-Type": "application/json", ...extra };
}

/** Starts an ask; `ask.done` settles when the client has everything it will get. */
export function startAsk(
  origin: string,
  account: Account,
  options: { stream: boolean; idempotencyKey?: string; prompt?: string },
): Ask {
  const body = { prompt: options.prompt ?? `crash harness question for ${account.email}`, stream: options.stream };
  const ask: Ask = {
    account,
    stream: options.stream,
    body,
    idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
    requestId: null,
    status: null,
    tokens: 0,
    text: "",
    complete: false,
    failure: null,
    finishedAt: null,
    done: Promise.resolve(),
  };
  ask.done = run(origin, ask)
    .catch((error: unknown) => {
      ask.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    })
    .finally(() => {
      ask.finishedAt = Date.now();
    });
  return ask;
}

async function run(origin: string, ask: Ask): Promise<void> {
  const response = await fetch(`${origin}/api/si/ask`, {
    method: "POST",
    headers: headersFor(ask.account, { "Idempotency-Key": ask.idempotencyKey }),
    body: JSON.stringify(ask.body),
  });
  ask.status = response.status;
  ask.requestId = response.headers.get("X-Request-Id");
  if (response.status !== 200) {
    ask.failure = await response.text();
    return;
  }
  if (!ask.stream) {
    const answer = (await response.json()) as { text: string; request_id: string };
    ask.text = answer.text;
    ask.tokens = answer.text.split(/\s+/).filter(Boolean).length;
    ask.requestId = answer.request_id;
    ask.complete = true;
    return;
  }
  for await (const event of readSse(response.body as ReadableStream<Uint8Array>)) {
    if (event.event === "token") {
      ask.tokens += 1;
      ask.text += (JSON.parse(event.data) as { text: string }).text;
    } else if (event.event === "done") ask.complete = true;
    else if (event.event === "error") ask.failure = event.data;
  }
}

export interface UsageRecord {
  kind: string;
  time: string;
  credits: number;
  outcome?: string;
  request_id?: string;
  job_id?: string | null;
  provider?: string;
  model?: string;
  tokens_in?: number;
  tokens_out?: number;
}

export interface AccountView {
  balance: number;
  held: number;
  available: number;
  totals: { granted: number; adjusted: number; spent: number };
  usage: { records: UsageRecord[] };
}

/** The admin's view of an account (reading it resolves due holds: only after they should have). */
export async function accountView(origin: string, adminKey: string, email: string): Promise<AccountView> {
  const response = await fetch(`${origin}/api/admin/accounts/${encodeURIComponent(email)}?kind=all&limit=100`, {
    headers: { "X-Admin-Key": adminKey },
  });
  if (response.status !== 200) throw new Error(`account ${email}: ${response.status} ${await response.text()}`);
  return (await response.json()) as AccountView;
}

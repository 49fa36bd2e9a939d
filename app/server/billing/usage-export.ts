// Usage exports (issue 16): an account's records — or every indexed account's — as a CSV response
// streamed a page at a time: the ReadableStream pulls the next page from the ledger only when the
// client has taken the last one, so an export is never built whole in memory.
import { z } from "zod";
import { denied } from "../auth/identity";
import { validate } from "../http/json";
import { everyIndexedAccount } from "./account-walk";
import { namedAccount } from "./adjust";
import { CSV_HEADER, recordLine } from "./csv";
import { carrying, type LedgerNamespace, ledgerFor, ledgerOf } from "./ledger-client";
import type { AccountRef, Caller, UsagePage, UsageQuery } from "./types";
import { usageQuerySchema } from "./usage";

const PAGE = 500;

/** The admin export's query: ?email= (else every account), ?from= and ?to= (ISO or unix seconds). */
export const adminExportSchema = z.object({
  email: z.string().trim().max(254).optional(),
  from: z.string().trim().max(64).optional(),
  to: z.string().trim().max(64).optional(),
});

/** from/to as the usage feed's since/until (its rules: ISO 8601 or unix seconds, since < until; else 400). */
export function periodQuery(from?: string, to?: string): UsageQuery {
  return { ...validate(usageQuerySchema, { since: from || undefined, until: to || undefined }), limit: PAGE };
}

type Pages = AsyncGenerator<string, void, undefined>;

/** Every page of one ledger, as CSV text; `first` is the page already read (to fail early). */
async function* ledgerPages(account: string, first: UsagePage, next: (beforeSeq: number) => Promise<UsagePage>): Pages {
  let page: UsagePage | null = first;
  while (page) {
    if (page.records.length) yield page.records.map((record) => recordLine(account, record)).join("");
    page = page.nextBeforeSeq === null ? null : await next(page.nextBeforeSeq);
  }
}

export function csvResponse(pages: Pages, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
    },
    async pull(controller) {
      const { done, value } = await pages.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}

function fileName(who: string, query: UsageQuery): string {
  const safe = who.replace(/[^A-Za-z0-9@._-]/g, "_");
  const day = (at: number | undefined) => (at === undefined ? "" : new Date(at).toISOString().slice(0, 10));
  const span = query.since !== undefined || query.until !== undefined ? `-${day(query.since)}_${day(query.until)}` : "";
  return `usage-${safe}${span}.csv`;
}

/** The caller's own records (the ledger checks a key, or a key's session, on the first page). */
export async function ownUsageCsv(namespace: LedgerNamespace, caller: Caller, query: UsageQuery): Promise<Response> {
  const ledger = ledgerFor(namespace, caller);
  const read = async (beforeSeq?: number) => {
    const result = await carrying(ledger, async (settles) =>
      ledger.usageFor(caller, { ...query, limit: PAGE, beforeSeq }, settles),
    );
    if (result.status === "denied") throw denied(result.code);
    return result;
  };
  const first = await read(query.beforeSeq);
  const pages = ledgerPages(first.ref.account, first.page, async (seq) => (await read(seq)).page);
  return csvResponse(pages, fileName(first.ref.account, query));
}

async function* accountPages(namespace: LedgerNamespace, ref: AccountRef, query: UsageQuery): Pages {
  const ledger = ledgerOf(namespace, ref.account);
  const read = (beforeSeq?: number) => ledger.usage({ ...query, limit: PAGE, beforeSeq });
  yield* ledgerPages(ref.account, await read(), read);
}

async function* everyAccount(namespace: LedgerNamespace, kv: KVNamespace, query: UsageQuery): Pages {
  for await (const summary of everyIndexedAccount(kv)) {
    yield* accountPages(namespace, { account: summary.account, kind: summary.kind }, query);
  }
}

/** An admin's export: one account (`email`, or a guest id), or every account in the index. */
export function adminUsageCsv(
  bindings: { LEDGER: LedgerNamespace; KV_BILLING: KVNamespace },
  email: string | undefined,
  query: UsageQuery,
): Response {
  if (!email) return csvResponse(everyAccount(bindings.LEDGER, bindings.KV_BILLING, query), fileName("all", query));
  const ref = namedAccount(email);
  return csvResponse(accountPages(bindings.LEDGER, ref, query), fileName(ref.account, query));
}

// Usage exports: the caller's own records and the admin's (one account or all), as streamed CSV.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ledgerOf } from "../../app/server/billing/ledger-client";
import { writeRecord } from "../../app/server/billing/ledger-records";
import { adminHeaders, call, expectEnvelope, grant, onBehalfOf, uniqueEmail } from "./helpers";

const HEADER = "time,account,key_id,kind,provider,model,tokens_in,tokens_out,credits,balance_after,request_id";

/** Writes `count` usage records straight into the account's ledger (fast; the feed reads them back). */
async function seed(email: string, count: number, fields: Record<string, unknown> = {}) {
  await grant(email, 1);
  await runInDurableObject(ledgerOf(env.LEDGER, email), (_instance, state) => {
    for (let i = 0; i < count; i++) {
      writeRecord(state.storage.sql, {
        id: `use_seed_${i}_${crypto.randomUUID()}`,
        kind: "usage",
        at: Date.now(),
        micro: 10,
        balance_after: 1_000_000,
        provider: "openai",
        model: "gpt-4o-mini",
        tokens_in: 1,
        tokens_out: 2,
        request_id: `req-${i}`,
        ...fields,
      });
    }
  });
}

function lines(text: string): string[] {
  return text.split("\r\n").filter(Boolean);
}

describe("GET /api/billing/usage?format=csv", () => {
  it("streams every one of the account's records, page after page, under the header row", async () => {
    const email = uniqueEmail("csv");
    await seed(email, 1203);
    const response = await call(`/api/billing/usage?format=csv&email=${encodeURIComponent(email)}`, {
      headers: onBehalfOf(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain(`usage-${email}.csv`);
    const rows = lines(await response.text());
    expect(rows[0]).toBe(HEADER);
    // 1,203 seeded + the grant's adjustment record.
    expect(rows).toHaveLength(1 + 1204);
    const ids = new Set(rows.slice(1).map((row) => row.split(",").at(-1)));
    expect(ids.size).toBe(1204);
    expect(rows[1]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[^,]+,${email},,usage,openai,gpt-4o-mini,1,2,0.00001,1,req-1202$`),
    );
  });

  it("quotes and neutralises what a record carries", async () => {
    const email = uniqueEmail("csv-quote");
    await seed(email, 1, { model: '=HYPERLINK("http://x","y")', request_id: "a,b" });
    const response = await call(`/api/billing/usage?format=csv&kind=usage&email=${encodeURIComponent(email)}`, {
      headers: onBehalfOf(),
    });
    const [, row] = lines(await response.text());
    expect(row).toContain(`,openai,"'=HYPERLINK(""http://x"",""y"")",1,2,`);
    expect(row).toMatch(/,"a,b"$/);
  });

  it("needs an identity, and rejects an unknown format", async () => {
    await expectEnvelope(await call("/api/billing/usage?format=csv"), 401);
    await expectEnvelope(await call("/api/billing/usage?format=xml", { headers: onBehalfOf(uniqueEmail()) }), 400);
  });
});

describe("GET /api/admin/usage.csv", () => {
  it("exports one account, or every indexed account, within from/to", async () => {
    const first = uniqueEmail("all-1");
    const second = uniqueEmail("all-2");
    await seed(first, 3);
    await seed(second, 2);
    for (const email of [first, second]) await runDurableObjectAlarm(ledgerOf(env.LEDGER, email));
    const one = await call(`/api/admin/usage.csv?email=${encodeURIComponent(second)}`, { headers: adminHeaders() });
    expect(lines(await one.text())).toHaveLength(1 + 3);
    const all = lines(await (await call("/api/admin/usage.csv", { headers: adminHeaders() })).text());
    expect(all[0]).toBe(HEADER);
    expect(all.filter((row) => row.includes(`,${first},`))).toHaveLength(4);
    expect(all.filter((row) => row.includes(`,${second},`))).toHaveLength(3);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await call(`/api/admin/usage.csv?email=${encodeURIComponent(first)}&from=${future}`, {
      headers: adminHeaders(),
    });
    expect(lines(await none.text())).toEqual([HEADER]);
  });

  it("is for the admin only, and refuses a bad period", async () => {
    await expectEnvelope(await call("/api/admin/usage.csv"), 401, "admin_key_required");
    await expectEnvelope(await call("/api/admin/usage.csv?from=yesterday", { headers: adminHeaders() }), 400);
  });
});

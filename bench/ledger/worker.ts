// A benchmark harness (not part of the product): the real CreditLedger Durable Object behind a
// tiny fetch handler that drives reserve → settle cycles from inside workerd.
import { CreditLedger } from "../../app/server/billing/ledger";
import type { AccountRef } from "../../app/server/billing/types";

export { CreditLedger };

interface BenchEnv {
  LEDGER: DurableObjectNamespace<CreditLedger>;
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const accounts = Number(url.searchParams.get("accounts") ?? 1);
    const ops = Number(url.searchParams.get("ops") ?? 1000);
    const concurrency = Number(url.searchParams.get("concurrency") ?? 16);
    const run = crypto.randomUUID().slice(0, 8);
    const refs: AccountRef[] = Array.from({ length: accounts }, (_, i) => ({
      account: `bench-${run}-${i}@example.com`,
      kind: "email",
    }));
    const stubs = refs.map((ref) => env.LEDGER.get(env.LEDGER.idFromName(`acct:${ref.account}`)));
    await Promise.all(
      stubs.map((stub, i) => stub.adjust(refs[i] as AccountRef, { set: 1_000_000_000_000, actor: "bench" })),
    );

    let next = 0;
    let failed = 0;
    const cycle = async () => {
      while (next < ops) {
        const i = next++;
        const stub = stubs[i % accounts];
        const ref = refs[i % accounts] as AccountRef;
        if (!stub) break;
        const holdId = `b${i}`;
        const held = await stub.reserve(ref, {
          holdId,
          minimumMicro: 100,
          worstMicro: 5000,
          requestId: holdId,
          idempotent: false,
        });
        if (held.status !== "held") {
          failed += 1;
          continue;
        }
        await stub.settle(ref, {
          holdId,
          costMicro: 2500,
          usage: {
            provider: "bench",
            model: "bench",
            tokensIn: 25,
            tokensOut: 25,
            estimated: false,
            requestId: holdId,
            outcome: "complete",
          },
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, cycle));
    return Response.json({ ops, failed });
  },
};

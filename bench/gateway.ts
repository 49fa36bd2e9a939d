// `npm run bench:gateway`: what the gateway adds to a model call. Times the same non-streaming
// request straight to the local upstream and through the Worker (auth, hold, provider call,
// settle, usage record), then measures requests per second at a few concurrency levels.
// Options: --requests N (default 300), --seconds S per concurrency level (default 5).
import { parseArgs } from "node:util";
import { percentile, startProduct } from "./lib/server.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "300" },
    seconds: { type: "string", default: "5" },
    port: { type: "string", default: "8870" },
  },
});
const requests = Number(values.requests);
const port = Number(values.port);
const product = await startProduct(port);
const email = "bench-gateway@example.com";
const prompt = { prompt: "Benchmark: say something short." };

try {
  await fetch(`${product.base}/api/credits/adjust`, {
    method: "POST",
    headers: { "X-Admin-Key": product.adminKey, "Content-Type": "application/json" },
    body: JSON.stringify({ email, set: 1_000_000 }),
  });

  const direct = () =>
    fetch(`http://127.0.0.1:${port + 12}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${product.upstreamKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: prompt.prompt }],
        max_tokens: 1024,
      }),
    });
  const viaGateway = () =>
    fetch(`${product.base}/api/si/ask`, {
      method: "POST",
      headers: { "X-User-Email": email, "Content-Type": "application/json" },
      body: JSON.stringify(prompt),
    });

  async function timeSequential(call: () => Promise<Response>) {
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const response = await call();
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`request failed with ${response.status}`);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b);
  }

  for (let i = 0; i < 20; i++) await (await viaGateway()).arrayBuffer(); // warm up isolates and objects

  const floor = await timeSequential(() => fetch(`${product.base}/api/ai/binding`));
  const upstream = await timeSequential(direct);
  const gateway = await timeSequential(viaGateway);
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  console.log(`\nNon-streaming ask, ${requests} sequential requests each (local upstream, this machine):`);
  console.log(`                     p50        p99`);
  console.log(`  upstream direct    ${ms(percentile(upstream, 50)).padEnd(10)} ${ms(percentile(upstream, 99))}`);
  console.log(`  through gateway    ${ms(percentile(gateway, 50)).padEnd(10)} ${ms(percentile(gateway, 99))}`);
  console.log(
    `  added by gateway   ${ms(percentile(gateway, 50) - percentile(upstream, 50)).padEnd(10)} ${ms(percentile(gateway, 99) - percentile(upstream, 99))}`,
  );
  // wrangler dev puts a local proxy in front of workerd; a Worker route that does nothing shows
  // what that costs, so the gateway's own work can be told apart from it.
  console.log(
    `  runtime floor      ${ms(percentile(floor, 50)).padEnd(10)} ${ms(percentile(floor, 99))}   (GET /api/ai/binding: no I/O)`,
  );
  console.log(
    `  gateway's own work ${ms(percentile(gateway, 50) - percentile(upstream, 50) - percentile(floor, 50)).padEnd(10)}            (hold + settle in the ledger, auth, usage record)`,
  );

  console.log(`\nThroughput through the gateway (${values.seconds} s per level):`);
  for (const concurrency of [1, 4, 16]) {
    let done = 0;
    let failed = 0;
    const deadline = performance.now() + Number(values.seconds) * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const response = await viaGateway();
        await response.arrayBuffer();
        if (response.ok) done += 1;
        else failed += 1;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `  concurrency ${String(concurrency).padStart(2)}: ${(done / elapsed).toFixed(1)} requests/s${failed ? ` (${failed} failed)` : ""}`,
    );
  }
} finally {
  await product.stop();
}

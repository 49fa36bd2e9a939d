// `npm run bench:upload`: direct-upload throughput for a 10 MB body, and the Worker runtime's
// peak memory while uploads stream through, for 1, 10 and 40 MB bodies. If the Worker held
// bodies whole, the peak would grow with the body (40 MB bodies ≈ 4× the 10 MB growth); when it
// streams, the growth stays flat. The run raises MAX_UPLOAD_BYTES to 64 MB for the 40 MB case.
// Options: --rounds N (default 8).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { descendants, processName, rss, startProduct } from "./lib/server.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "8" }, port: { type: "string", default: "8880" } },
});
const rounds = Number(values.rounds);
const MB = 1024 * 1024;
const product = await startProduct(Number(values.port), { MAX_UPLOAD_BYTES: String(64 * MB) });

try {
  const runtimes = descendants(product.child.pid ?? 0).filter((pid) => processName(pid) === "workerd");
  if (runtimes.length === 0) throw new Error("could not find the workerd processes");
  const memory = () => runtimes.reduce((sum, pid) => sum + rss(pid), 0);

  async function upload(body: Uint8Array<ArrayBuffer>) {
    const response = await fetch(`${product.base}/api/upload/direct?filename=bench.bin`, {
      method: "POST",
      headers: { "X-User-Email": "bench-upload@example.com", "Content-Type": "application/octet-stream" },
      body,
    });
    if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }

  /** Uploads `size` bytes `rounds` times, sampling the runtime's memory every 5 ms. */
  async function measure(size: number) {
    const body = new Uint8Array(randomBytes(size));
    await upload(body); // warm up
    const before = memory();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory());
    }, 5);
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await upload(body);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return { size, mbPerSecond: (size * rounds) / MB / seconds, before, peak, growth: peak - before };
  }

  const results = [];
  for (const size of [1, 10, 40]) results.push(await measure(size * MB));
  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`.padStart(9);
  console.log(`\nDirect uploads through the Worker into local R2, ${rounds} sequential rounds per size:`);
  console.log("   body    throughput   runtime memory: baseline     peak   growth");
  for (const r of results) {
    console.log(
      `  ${mb(r.size)}  ${`${r.mbPerSecond.toFixed(1)} MB/s`.padStart(11)}                ${mb(r.before)} ${mb(r.peak)} ${mb(r.growth)}`,
    );
  }
  const ten = results[1];
  const forty = results[2];
  if (ten && forty) {
    const ratio = forty.growth / Math.max(ten.growth, 1);
    console.log(`\n10 MB upload throughput: ${ten.mbPerSecond.toFixed(1)} MB/s`);
    console.log(
      `Peak growth with 40 MB bodies is ${ratio.toFixed(2)}× that with 10 MB bodies (holding bodies whole would make it about 4×).`,
    );
  }
} finally {
  await product.stop();
}

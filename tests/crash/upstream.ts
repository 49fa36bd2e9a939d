// The crash harness's upstream: the local development model (dev/model-server.ts) streaming one
// word every 100 ms, behind a small front that lets the harness choose the moment non-streaming
// answers go out (a gate), so it can kill the product right after the upstream answered. It runs
// in the harness's process, outside the product's process group, so it outlives the crash.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { startModelServer } from "../../dev/model-server.ts";

/** 60 words, one every 100 ms: a 6-second answer. */
export const WORDS = 60;
const SWITCHES = `token_delay=100,words=${WORDS}`;

export interface SlowUpstream {
  url: string;
  /** Requests seen, by kind; `answered` counts non-streaming answers written out. */
  counts: { streams: number; plain: number; waiting: number; answered: number; hung: number };
  /** When a request whose prompt contains `marker` arrived (the jobs' marker), else undefined. */
  seenAt(marker: string): number | undefined;
  /** Lets the non-streaming answers (held and future) go out. */
  openGate(): void;
  /** Lets `count` of the held non-streaming answers go out, oldest first; the gate stays shut. */
  release(count: number): void;
  /** Holds the non-streaming answers from now on. */
  closeGate(): void;
  close(): Promise<void>;
}

export async function startSlowUpstream(port: number, apiKey: string): Promise<SlowUpstream> {
  const model = await startModelServer({ port: 0, apiKey, quiet: true });
  const counts = { streams: 0, plain: 0, waiting: 0, answered: 0, hung: 0 };
  const seen = new Map<string, number>();
  let gate: { open: boolean; waiters: Array<() => void> } = { open: false, waiters: [] };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    // Anything but a completion (npm start probes /v1/models) passes straight through.
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      const answer = await fetch(`${model.url}${req.url}`, {
        headers: { Authorization: req.headers.authorization ?? "" },
      });
      res.writeHead(answer.status, { "Content-Type": answer.headers.get("Content-Type") ?? "application/json" });
      res.end(await answer.text());
      return;
    }
    let parsed: { stream?: boolean } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // the model server answers a bad body itself
    }
    for (const match of body.matchAll(/\[\[marker:([\w-]+)\]\]/g)) seen.set(match[1] ?? "", Date.now());
    if (body.includes("upstream: hang")) counts.hung += 1;
    else if (parsed.stream) counts.streams += 1;
    else counts.plain += 1;
    const aborted = new AbortController();
    res.on("close", () => aborted.abort());
    const answer = await fetch(`${model.url}/x/${SWITCHES}${req.url}`, {
      method: req.method,
      headers: { "Content-Type": "application/json", Authorization: req.headers.authorization ?? "" },
      body: req.method === "POST" ? body : undefined,
      signal: aborted.signal,
    });
    if (!parsed.stream) {
      const text = await answer.text();
      if (!gate.open) {
        counts.waiting += 1;
        await new Promise<void>((resolve) => gate.waiters.push(resolve));
        counts.waiting -= 1;
      }
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(text, () => (counts.answered += 1));
      return;
    }
    res.writeHead(answer.status, { "Content-Type": answer.headers.get("Content-Type") ?? "text/event-stream" });
    for await (const chunk of answer.body ?? []) res.write(chunk);
    res.end();
  }

  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    seenAt: (marker) => seen.get(marker),
    openGate() {
      gate.open = true;
      for (const resolve of gate.waiters.splice(0)) resolve();
    },
    release(count) {
      for (const resolve of gate.waiters.splice(0, count)) resolve();
    },
    closeGate() {
      gate = { open: false, waiters: [] };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await model.close();
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

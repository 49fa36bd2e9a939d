// The systems compared, started side by side: the product exactly as `npm start` runs it (which
// starts the local model server), the bare Worker (plain, and with one Durable Object write per
// ask: the floor of a durable hold) and, optionally, Portkey's Worker.
import { randomBytes } from "node:crypto";
import { grant, type RunningProduct, startProduct, upstreamBaseFor } from "./server.ts";
import { type AskTarget, cognomegaTarget, openAiTarget } from "./targets.ts";
import { type RunningWorker, startBareWorker, startPortkeyWorker } from "./workers.ts";

export const IN_FLIGHT = 16;
const EMAIL = "bench-gateway@example.com";

export interface Systems {
  product: RunningProduct;
  bare: RunningWorker;
  /** Upstream direct, bare, bare + one write, [Portkey], Cognomega — in that order. */
  targets: AskTarget[];
  /** The same balance read, without and with a token. */
  reads: { label: string; send: () => Promise<Response> }[];
  rawSign: () => Promise<Response>;
  guestSignIn: () => Promise<Response>;
  stop(): Promise<void>;
}

/** `build: false` starts the product from the build already in build/ (`npm start --no-build`). */
export async function startSystems(
  port: number,
  options: { portkeyDir?: string; build: boolean; stateDir?: string },
): Promise<Systems> {
  const { portkeyDir, build, stateDir } = options;
  const upstreamBase = upstreamBaseFor(port);
  const upstreamKey = `bench_${randomBytes(12).toString("base64url")}`;
  const starting = [
    // Huge guest credits and sign-up limit: the benchmark must never meet a 402 or a 429.
    startProduct(
      port,
      {
        OPENAI_API_KEY: upstreamKey,
        GUEST_CREDITS: "1000000",
        GUEST_RATE_LIMIT: "1000000",
        IDENTITY_MODE: "asserted",
        SERVER_TIMING: "1",
        // Sixteen guests asking as fast as they can: far past any per-account rate limit.
        ACCOUNT_RATE_LIMIT: "0",
      },
      { build, stateDir },
    ),
    // Its Durable Object keeps its state where the product keeps its own (same disk, or RAM).
    startBareWorker(port + 20, upstreamBase, upstreamKey, stateDir),
    portkeyDir ? startPortkeyWorker(portkeyDir, port + 30) : undefined,
  ] as const;
  const settled = await Promise.allSettled(starting);
  const stop = async () => {
    await Promise.all(settled.map((result) => (result.status === "fulfilled" ? result.value?.stop() : undefined)));
  };
  const [product, bare, portkey] = settled;
  const failed = settled.find((result) => result.status === "rejected");
  if (failed || product.status !== "fulfilled" || bare.status !== "fulfilled" || portkey.status !== "fulfilled") {
    await stop();
    throw failed?.reason;
  }
  try {
    const base = product.value.base;
    const guests = await Promise.all(Array.from({ length: IN_FLIGHT }, () => guestToken(base)));
    await grant(product.value, EMAIL, 1000);
    const portkeyHeaders = {
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": upstreamBase,
      Authorization: `Bearer ${upstreamKey}`,
    };
    return {
      product: product.value,
      bare: bare.value,
      targets: [
        openAiTarget("upstream", "model server, direct", `${upstreamBase}/chat/completions`, {
          Authorization: `Bearer ${upstreamKey}`,
        }),
        openAiTarget("bare", "bare Worker", `${bare.value.base}/v1/chat/completions`, {}),
        openAiTarget(
          "bare-hold",
          "bare Worker + 1 DO write",
          `${bare.value.base}/hold/v1/chat/completions`,
          {},
          (lane) => ({ "X-Caller": `lane-${lane}` }),
        ),
        ...(portkey.value
          ? [openAiTarget("portkey", "Portkey Worker", `${portkey.value.base}/v1/chat/completions`, portkeyHeaders)]
          : []),
        cognomegaTarget(base, guests),
      ],
      reads: [
        {
          label: "X-User-Email (no token)",
          send: () => fetch(`${base}/api/credits`, { headers: { "X-User-Email": EMAIL } }),
        },
        {
          label: "Bearer guest token",
          send: () => fetch(`${base}/api/credits`, { headers: { Authorization: `Bearer ${guests[0]}` } }),
        },
      ],
      rawSign: () => fetch(`${bare.value.base}/sign`, { method: "POST" }),
      guestSignIn: () => fetch(`${base}/auth/guest`, { method: "POST" }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function guestToken(base: string): Promise<string> {
  const response = await fetch(`${base}/auth/guest`, { method: "POST" });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`POST /auth/guest answered ${response.status}: ${body}`);
  return (JSON.parse(body) as { token: string }).token;
}

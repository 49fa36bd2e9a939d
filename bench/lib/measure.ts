// How requests are timed: a whole answer, the first streamed token, and requests per second
// with a fixed number in flight.
import { readEvents } from "./sse.ts";
import { median } from "./stats.ts";

export interface TimedAnswer {
  ms: number;
  status: number;
  body: string;
  headers: Headers;
}

/** Time from sending to the last byte of the answer. */
export async function timeAnswer(send: () => Promise<Response>): Promise<TimedAnswer> {
  const started = performance.now();
  const response = await send();
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, body, headers: response.headers };
}

export interface TimedStream {
  firstToken: number;
  total: number;
  text: string;
  headers: Headers;
}

/** Time to the first event that carries answer text (`tokenOf` says which do), reading to the end. */
export async function timeFirstToken(
  send: () => Promise<Response>,
  tokenOf: (event: string, data: string) => string | undefined,
): Promise<TimedStream> {
  const started = performance.now();
  const response = await send();
  if (!response.ok || !response.body) {
    throw new Error(`a stream was answered with ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  let firstToken = Number.NaN;
  let text = "";
  await readEvents(response.body, (event, data, at) => {
    const piece = tokenOf(event, data);
    if (!piece) return;
    if (Number.isNaN(firstToken)) firstToken = at - started;
    text += piece;
  });
  return { firstToken, total: performance.now() - started, text, headers: response.headers };
}

export interface Rate {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  /** Failures by status (or "network"). */
  failures: Record<string, number>;
  /** Requests per second of each slice, when measured in slices. */
  slices?: number[];
}

/**
 * Keeps `concurrency` requests in flight for `seconds`; lane i always sends `send(i)`. Requests
 * still running at the deadline finish and count, and so does the time they took.
 */
export async function throughput(
  send: (lane: number) => Promise<Response>,
  concurrency: number,
  seconds: number,
  onAnswer?: (response: Response) => void,
): Promise<Rate> {
  let ok = 0;
  const failures: Record<string, number> = {};
  const fail = (why: string) => (failures[why] = (failures[why] ?? 0) + 1);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const lane = async (index: number) => {
    while (performance.now() < deadline) {
      try {
        const response = await send(index);
        await response.arrayBuffer();
        if (response.ok) {
          ok += 1;
          onAnswer?.(response);
        } else fail(String(response.status));
      } catch {
        fail("network");
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => lane(index)));
  const elapsed = (performance.now() - started) / 1000;
  const failed = Object.values(failures).reduce((sum, count) => sum + count, 0);
  return { ok, failed, seconds: elapsed, perSecond: ok / elapsed, failures };
}

/** Rates measured in slices, as one. */
export function combine(slices: Rate[]): Rate {
  const failures: Record<string, number> = {};
  for (const slice of slices) {
    for (const [why, count] of Object.entries(slice.failures)) failures[why] = (failures[why] ?? 0) + count;
  }
  const ok = slices.reduce((sum, slice) => sum + slice.ok, 0);
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const failed = slices.reduce((sum, slice) => sum + slice.failed, 0);
  return { ok, failed, seconds, perSecond: ok / seconds, failures, slices: slices.map((slice) => slice.perSecond) };
}

/**
 * `a` ÷ `b` as the median of the ratios of slices taken side by side (same pass), so a burst of
 * someone else's load during one pass moves one ratio, not the result.
 */
export function pairedRatio(a: Rate, b: Rate): number {
  const ratios = (a.slices ?? []).map((slice, index) => slice / (b.slices?.[index] ?? Number.NaN));
  return ratios.length && ratios.length === b.slices?.length ? median(ratios) : a.perSecond / b.perSecond;
}

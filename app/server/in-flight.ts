// Work in flight in this isolate — asks being answered and the settles, releases and progress
// reports they leave behind (ctx.waitUntil) — counted at module scope, so a graceful stop can
// wait for it to drain (issue 18: `npm start` gives in-flight asks up to LLM_DEADLINE_MS).

let active = 0;
let answering = 0;
const idle: Array<() => void> = [];

/** How many tracked pieces of work are running now. */
export function inFlight(): number {
  return active;
}

/** Counts `work` as in flight until it settles; returns it unchanged. */
export function track<T>(work: Promise<T>): Promise<T> {
  active += 1;
  return work.finally(() => {
    active -= 1;
    if (active === 0) for (const resolve of idle.splice(0)) resolve();
  });
}

/**
 * Counts `work` as an answer being produced (an ask or speech until its response, a stream until
 * its relay ends) and as in flight; returns it unchanged.
 */
export function trackAnswer<T>(work: Promise<T>): Promise<T> {
  answering += 1;
  return track(work.finally(() => (answering -= 1)));
}

/** How many answers this isolate is producing now. */
export function answersInFlight(): number {
  return answering;
}

/** Resolves when nothing is in flight (at once when nothing is). */
export function drained(): Promise<void> {
  return active === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve));
}

// The product's per-stage times, read from the standard `Server-Timing` header
// (`auth;dur=0.21, hold;dur=0.80, …`) that it sends when started with SERVER_TIMING=1.

/** [stage, milliseconds] for every metric that has a duration. */
export function parseServerTiming(header: string): [string, number][] {
  const stages: [string, number][] = [];
  for (const metric of header.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const [name = "", ...params] = metric.split(";").map((part) => part.trim());
    const dur = params.find((param) => /^dur\s*=/i.test(param));
    const ms = dur ? Number(dur.slice(dur.indexOf("=") + 1).replace(/"/g, "")) : Number.NaN;
    if (name && Number.isFinite(ms)) stages.push([name, ms]);
  }
  return stages;
}

/** Stage times per scenario, in the order stages were first seen. */
export class StageTimes {
  readonly scenarios = new Map<string, { responses: number; stages: Map<string, number[]> }>();

  record(scenario: string, headers: Headers) {
    const header = headers.get("Server-Timing");
    if (!header) return;
    const entry = this.scenarios.get(scenario) ?? { responses: 0, stages: new Map<string, number[]>() };
    this.scenarios.set(scenario, entry);
    entry.responses += 1;
    for (const [stage, ms] of parseServerTiming(header)) {
      const samples = entry.stages.get(stage) ?? [];
      samples.push(ms);
      entry.stages.set(stage, samples);
    }
  }

  toJSON() {
    return Object.fromEntries(
      [...this.scenarios].map(([scenario, { responses, stages }]) => [
        scenario,
        { responses, stages: Object.fromEntries(stages) },
      ]),
    );
  }
}

// Per-stage times of one API request, sent as a standard `Server-Timing` header when the service
// runs with SERVER_TIMING=1 (bench:gateway reads it). In workerd the clock advances only across
// I/O, so CPU-only stages show (close to) 0 and round trips show their full time.

export class StageTimer {
  private readonly stages: Array<[string, number]> = [];
  private last = performance.now();

  /** Ends the current stage as `name` (stages of one name add up). */
  mark(name: string): void {
    const now = performance.now();
    const found = this.stages.find(([stage]) => stage === name);
    if (found) found[1] += now - this.last;
    else this.stages.push([name, now - this.last]);
    this.last = now;
  }

  header(): string {
    return this.stages.map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`).join(", ");
  }
}

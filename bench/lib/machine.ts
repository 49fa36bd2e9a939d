// How much of the machine other people's work took during a run: this machine is shared, and a
// busy neighbour skews what one system at a time (throughput) measures more than interleaving.
import { readFileSync } from "node:fs";
import { descendants } from "./server.ts";

/** Busy and total CPU ticks of the whole machine since boot. */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** CPU ticks used by this process and everything below it (including reaped children). */
function ownTicks(): number {
  return [process.pid, ...descendants(process.pid)].reduce((sum, pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat
        .slice(stat.lastIndexOf(")") + 2)
        .split(" ")
        .map(Number);
      // utime, stime, cutime, cstime are fields 14-17 of stat; the slice starts at field 3.
      return sum + (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
    } catch {
      return sum; // it ended meanwhile
    }
  }, 0);
}

/** Call at the start; the returned function gives the share of all CPU that others used since. */
export function watchNeighbours(): () => number {
  const start = machineTicks();
  const ownAtStart = ownTicks();
  return () => {
    const end = machineTicks();
    const others = end.busy - start.busy - (ownTicks() - ownAtStart);
    return Math.max(0, others / (end.total - start.total));
  };
}

// Reads Linux perf's call stacks of one workerd process and sorts its CPU time two ways: by the
// runtime event it was spent in (an incoming request, a Durable Object call, a timer, an I/O
// completion, a storage commit, or the runtime's own I/O outside any of them) and by the kind of
// work at the top of the stack (JavaScript, SQLite, the kernel, garbage collection, V8, workerd),
// and by JavaScript function. workerd's symbols are in its binary; JavaScript's JIT frames are
// named only when the runtime runs with V8's --perf-basic-prof (it then writes /tmp/perf-PID.map,
// which perf reads), else JavaScript is one row.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** One sample: its frames, innermost first, as "symbol" or "[kernel] symbol". */
type Stack = string[];

/** Which runtime event a stack belongs to: the first rule whose frame it contains. */
export const EVENTS: ReadonlyArray<readonly [label: string, frame: string]> = [
  ["storage commit", "ActorSqlite::startImplicitTxn"],
  ["incoming request", "WorkerEntrypoint::requestImpl"],
  ["Durable Object call (callee)", "JsRpcTargetBase"],
  ["timer", "setTimeoutImpl"],
  ["fetch response arrived", "resumeAfterIo<kj::HttpClient::Response"],
  ["other I/O completed", "resumeAfterIo"],
];
const OUTSIDE = "runtime I/O outside any event";

/** Frames whose presence anywhere in a stack is counted on its own (inclusive time). */
export const MARKERS: ReadonlyArray<readonly [label: string, frame: string]> = [
  ["Durable Object calls made (caller side)", "JsRpcProperty::call"],
  ["SQL statements (sql.exec)", "SqlStorage::exec"],
  ["transactionSync", "DurableObjectStorage::transactionSync"],
  ["fsync", "fsync"],
  ["JSON parse + stringify", "Json"],
];

const GC =
  /Heap::(Collect|PerformGarbageCollection)|Scavenger|MarkCompact|Sweeper|ConcurrentMarking|cppgc::internal::Marker/;

/** The kind of work at the top of a stack. */
export function kindOf(stack: Stack): string {
  const leaf = stack[0] ?? "";
  if (leaf.startsWith("[kernel]")) return "kernel (syscalls, disk, network)";
  if (stack.some((frame) => GC.test(frame))) return "garbage collection";
  if (leaf.startsWith("Builtins_") || leaf.startsWith("JS:") || leaf === "[unknown]") {
    return "JavaScript (JIT code, builtins)";
  }
  if (stack.slice(0, 6).some((frame) => /^(sqlite3|pcache|pager|btree|vdbe)/i.test(frame))) return "SQLite";
  if (leaf.startsWith("v8::")) return "V8 runtime";
  return "workerd and its libraries";
}

export function eventOf(stack: Stack): string {
  for (const [label, frame] of EVENTS) if (stack.some((entry) => entry.includes(frame))) return label;
  return OUTSIDE;
}

export interface Profile {
  samples: number;
  byEvent: Map<string, number>;
  byKind: Map<string, number>;
  byMarker: Map<string, number>;
  /** Samples under each JavaScript function (inclusive: a sample counts once per function). */
  byFunction: Map<string, number>;
}

const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export function emptyProfile(): Profile {
  return { samples: 0, byEvent: new Map(), byKind: new Map(), byMarker: new Map(), byFunction: new Map() };
}

export function count(profile: Profile, stack: Stack): void {
  if (!stack.length) return;
  profile.samples += 1;
  add(profile.byEvent, eventOf(stack));
  add(profile.byKind, kindOf(stack));
  for (const [label, frame] of MARKERS) if (stack.some((entry) => entry.includes(frame))) add(profile.byMarker, label);
  const functions = new Set(stack.map(functionOf).filter((name): name is string => name !== null));
  for (const name of functions) add(profile.byFunction, name);
}

/**
 * A JIT frame as perf names it from V8's map — `JS:+'reserve index.js:5493:9` (the marks after
 * `JS:` tell the compiler tier) — as `reserve (index.js:5493)`; null for any other frame.
 */
export function functionOf(frame: string): string | null {
  const match = /^JS:[*~^+']*(.*?)\s*(?:\S*\/)?([^/\s]+):(\d+):\d+$/.exec(frame);
  if (!match) return null;
  const [, name, file, line] = match;
  return `${name || "(anonymous)"} (${file}:${line})`;
}

/** One frame line of `perf script -F ip,sym,dso`: "<ip> <symbol> (<dso>)". */
export function frameOf(line: string): string {
  const text = line.trim();
  const symbol = text.slice(text.indexOf(" ") + 1);
  const dso = symbol.lastIndexOf(" (");
  const name = dso >= 0 ? symbol.slice(0, dso) : symbol;
  return symbol.endsWith("(kernel.kallsyms)") || symbol.endsWith("([kernel.kallsyms])") ? `[kernel] ${name}` : name;
}

/** Runs `perf script` on a recording and folds its stacks. */
export async function readProfile(dataFile: string): Promise<Profile> {
  const child = spawn("perf", ["script", "-i", dataFile, "-F", "ip,sym,dso"], { stdio: ["ignore", "pipe", "ignore"] });
  const profile = emptyProfile();
  let stack: Stack = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.trim()) stack.push(frameOf(line));
    else {
      count(profile, stack);
      stack = [];
    }
  }
  count(profile, stack);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`perf script exited with ${code}`);
  return profile;
}

// The wall-clock path of one ask through a workerd process, from Linux perf's syscall tracepoints:
// when the request was read, when the upstream request left, when the ledger's storage commit
// wrote and synced its log, when the upstream's answer was read, and when the response left. The
// runtime's clock stands still while JavaScript runs (Server-Timing shows CPU-only stages as 0);
// the kernel's does not, so these stages are timed to the microsecond. The tracepoints cost a
// few microseconds per system call, far less than a ptrace-based tracer.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createInterface } from "node:readline";

/** What `perf record -e` is given. */
export const TRACEPOINTS = [
  "syscalls:sys_enter_recvfrom",
  "syscalls:sys_exit_recvfrom",
  "syscalls:sys_enter_read",
  "syscalls:sys_exit_read",
  "syscalls:sys_enter_sendto",
  "syscalls:sys_enter_writev",
  "syscalls:sys_enter_write",
  "syscalls:sys_enter_pwrite64",
  "syscalls:sys_enter_fsync",
  "syscalls:sys_exit_fsync",
].join(",");

/** The stages of an ask, in the order they are reported; each is timed from the request's read. */
export const STAGES = [
  "upstream request written",
  "ledger log written",
  "commit fsync starts",
  "commit fsync ends",
  "upstream answer read",
  "response written",
] as const;
export type Stage = (typeof STAGES)[number];

/** The process's TCP sockets by role, as file descriptors. */
export interface Sockets {
  /** Connections accepted on one of its listening ports (requests come in on these). */
  incoming: Set<number>;
  /** Connections to the upstream's port. */
  upstream: Set<number>;
}

interface TcpRow {
  local: number;
  remote: number;
  listening: boolean;
}

/** /proc/net/tcp{,6}: each socket inode's local and remote port and whether it listens. */
function tcpTable(): Map<string, TcpRow> {
  const rows = new Map<string, TcpRow>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, remote, state, , , , , , inode] = fields;
      if (!local || !remote || !inode) continue;
      const port = (address: string) => Number.parseInt(address.slice(address.lastIndexOf(":") + 1), 16);
      rows.set(inode, { local: port(local), remote: port(remote), listening: state === "0A" });
    }
  }
  return rows;
}

/** Sorts `pid`'s TCP sockets (keep-alive connections, so read them while they are open). */
export function socketsOf(pid: number, upstreamPort: number): Sockets {
  const table = tcpTable();
  const byFd = new Map<number, TcpRow>();
  for (const entry of readdirSync(`/proc/${pid}/fd`)) {
    let target = "";
    try {
      target = readlinkSync(`/proc/${pid}/fd/${entry}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const row = inode ? table.get(inode) : undefined;
    if (row) byFd.set(Number(entry), row);
  }
  const listening = new Set([...byFd.values()].filter((row) => row.listening).map((row) => row.local));
  const sockets: Sockets = { incoming: new Set(), upstream: new Set() };
  for (const [fd, row] of byFd) {
    if (row.listening) continue;
    if (row.remote === upstreamPort) sockets.upstream.add(fd);
    else if (listening.has(row.local)) sockets.incoming.add(fd);
  }
  return sockets;
}

/** One system call as `perf script` prints a tracepoint. */
export interface Call {
  thread: number;
  /** Milliseconds (the kernel's monotonic clock). */
  at: number;
  name: string;
  /** The file descriptor (enter events) or the return value (exit events). */
  value: number;
}

/** `workerd 14807 [000] 50151.333129: syscalls:sys_enter_sendto: fd: 0x00000094, …`, or null. */
export function callOf(line: string): Call | null {
  const match = /\s(\d+)\s+\[\d+\]\s+(\d+\.\d+):\s+syscalls:sys_(enter|exit)_(\w+):\s*(.*)$/.exec(line);
  if (!match) return null;
  const [, thread, seconds, phase, syscall, args = ""] = match;
  const number =
    phase === "enter" ? /\bfd: (0x[0-9a-f]+)/.exec(args)?.[1] : /^(0x[0-9a-f]+|-?\d+)/.exec(args.trim())?.[1];
  if (number === undefined) return null;
  const value = number.startsWith("0x") ? Number.parseInt(number, 16) : Number(number);
  // Exit values are the call's result: a negative one comes through as a 64-bit two's complement.
  const signed = phase === "exit" && value >= 2 ** 63 ? value - 2 ** 64 : value;
  return { thread: Number(thread), at: Number(seconds) * 1000, name: `${phase}_${syscall}`, value: signed };
}

/** The stages of each ask: ms from the request's read to each stage it went through. */
export function asksOf(calls: Iterable<Call>, sockets: Sockets): Array<Partial<Record<Stage, number>>> {
  const asks: Array<Partial<Record<Stage, number>>> = [];
  /** The ask being answered on each incoming connection: its start and its stages. */
  const open = new Map<number, { start: number; stages: Partial<Record<Stage, number>> }>();
  /** The descriptor each thread's pending read was on (exit events carry only the result). */
  const reading = new Map<number, number>();
  let current: { start: number; stages: Partial<Record<Stage, number>> } | undefined;
  const mark = (stage: Stage, at: number) => {
    if (current && current.stages[stage] === undefined) current.stages[stage] = at - current.start;
  };
  for (const call of calls) {
    switch (call.name) {
      case "enter_recvfrom":
      case "enter_read":
        reading.set(call.thread, call.value);
        break;
      case "exit_recvfrom":
      case "exit_read": {
        const fd = reading.get(call.thread);
        reading.delete(call.thread);
        if (fd === undefined || call.value <= 0) break;
        if (sockets.incoming.has(fd) && !open.has(fd)) {
          current = { start: call.at, stages: {} };
          open.set(fd, current);
        } else if (sockets.upstream.has(fd)) mark("upstream answer read", call.at);
        break;
      }
      case "enter_sendto":
      case "enter_writev":
      case "enter_write": {
        if (sockets.upstream.has(call.value)) mark("upstream request written", call.at);
        const ask = open.get(call.value);
        if (ask) {
          ask.stages["response written"] = call.at - ask.start;
          asks.push(ask.stages);
          open.delete(call.value);
          if (ask === current) current = undefined;
        }
        break;
      }
      case "enter_pwrite64":
        mark("ledger log written", call.at);
        break;
      case "enter_fsync":
        mark("commit fsync starts", call.at);
        break;
      case "exit_fsync":
        if (current?.stages["commit fsync starts"] !== undefined) mark("commit fsync ends", call.at);
        break;
    }
  }
  return asks;
}

/** Runs `perf script` on a recording of TRACEPOINTS and returns its asks' stages. */
export async function readTimeline(dataFile: string, sockets: Sockets) {
  const child = spawn("perf", ["script", "-i", dataFile], { stdio: ["ignore", "pipe", "ignore"] });
  const calls: Call[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const call = callOf(line);
    if (call) calls.push(call);
  }
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`perf script exited with ${code}`);
  calls.sort((a, b) => a.at - b.at);
  return asksOf(calls, sockets);
}

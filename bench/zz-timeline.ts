// Scratch: syscall timeline of sequential asks in the product's Worker runtime (strace -tt -yy -T).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { descendants } from "./lib/server.ts";
import { startSystems } from "./lib/systems.ts";
const port = 8740;
const systems = await startSystems(port, { build: false });
const cmd = (pid: number) => { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" "); } catch { return ""; } };
try {
  const pid = descendants(systems.product.child.pid ?? 0).find((p) => /\/workerd serve /.test(cmd(p)) && !cmd(p).includes(`:${port} `))!;
  const target = systems.targets.find((t) => t.name === "cognomega")!;
  for (let i = 0; i < 200; i++) await (await target.send(false)).text();
  const st = spawn("strace", ["-f", "-tt", "-T", "-yy", "-e", "trace=sendto,recvfrom,writev,write,read,readv,pwrite64,fsync", "-p", String(pid), "-o", "/tmp/timeline.txt"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < 40; i++) { await (await target.send(false)).text(); await new Promise((r) => setTimeout(r, 60)); }
  st.kill("SIGINT"); await new Promise((r) => st.once("exit", r));
  console.log("pid", pid, "upstream port", port + 12);
} finally { await systems.stop(); }

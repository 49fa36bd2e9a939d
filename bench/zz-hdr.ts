import { startSystems } from "./lib/systems.ts";
import { PROMPT } from "./lib/model.ts";
import { request } from "node:http";
const systems = await startSystems(8740, { build: false });
try {
  const base = systems.product.base;
  const token = ((await (await fetch(`${base}/auth/guest`, { method: "POST" })).json()) as { token: string }).token;
  const u = new URL(`${base}/api/si/ask`);
  for (const enc of ["gzip, deflate", "identity"]) {
    await new Promise<void>((resolve) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Accept-Encoding": enc } }, (res) => { console.log(enc, res.statusCode, JSON.stringify(res.headers)); res.resume(); res.on("end", resolve); });
      req.end(JSON.stringify({ prompt: PROMPT }));
    });
  }
  const r = await fetch(`${systems.targets.find((t) => t.name === "bare")!.label ? "" : ""}${base}/api/credits`, { headers: { Authorization: `Bearer ${token}` } });
  console.log("credits", JSON.stringify(Object.fromEntries(r.headers)));
} finally { await systems.stop(); }

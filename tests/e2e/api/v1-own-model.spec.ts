// `npm start` with the user's own OpenAI-compatible model server (as Ollama, vLLM or llama.cpp
// would be): a second server on a port of its own choosing, OPENAI_BASE pointed at it through
// `localhost`, and the product answering from it — with the development model not started and
// its port left alone.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { E2E_PORT } from "../../../playwright.config";
import { chooseModelServer } from "../../../scripts/lib/model-choice";
import { finished, ROOT, toolEnv, toolPath, waitForHttp } from "../../../scripts/lib/processes";

const REPLY = "Hello from the user's own model server.";

/** A small OpenAI-compatible server, written here: not the development model. */
async function usersModelServer(): Promise<{ server: Server; base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader("Content-Type", "application/json");
      if (req.url === "/v1/models")
        return res.end(JSON.stringify({ object: "list", data: [{ id: "users-model", object: "model" }] }));
      const body = JSON.parse(raw || "{}") as { model?: string; stream?: boolean };
      if (body.stream) {
        res.setHeader("Content-Type", "text/event-stream");
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: "own-1", object: "chat.completion.chunk", model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        const usage = {
          id: "own-1",
          object: "chat.completion.chunk",
          model: body.model,
          choices: [],
          usage: { prompt_tokens: 5, completion_tokens: 8 },
        };
        return res.end(
          `${chunk({ role: "assistant", content: REPLY }, null)}${chunk({}, "stop")}data: ${JSON.stringify(usage)}\n\ndata: [DONE]\n\n`,
        );
      }
      res.end(
        JSON.stringify({
          id: "own-1",
          object: "chat.completion",
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: REPLY }, finish_reason: "stop" }],
          usage: { prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Reached through `localhost`, as a user writes it for Ollama.
  return { server, base: `http://localhost:${(server.address() as AddressInfo).port}/v1`, seen };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

test("npm start answers from the user's own model server named by OPENAI_BASE", async () => {
  test.setTimeout(150_000);
  const own = await usersModelServer();
  // Clear of the E2E server's ports and of the inspector ports wrangler counts up from 9229.
  const port = E2E_PORT + 40;
  const devModelPort = port + 12;
  expect(await portIsFree(port), `port ${port} is taken`).toBe(true);
  // --no-build must leave the build the E2E server is serving alone: its Worker, and the local
  // entry and configurations written beside it (wrangler reloads whatever changes under it).
  const served = ["index.js", "dev-entry.js", "wrangler.draining.json", "wrangler.assets.json"];
  const built = () => served.map((file) => statSync(join(ROOT, "build", "server", file)).mtimeMs);
  const builtBefore = built();
  const state = mkdtempSync(join(tmpdir(), "cognomega-own-"));
  let child: ChildProcess | undefined;
  try {
    child = spawn(
      toolPath("node"),
      [
        "scripts/start.ts",
        "--no-build",
        "--fresh",
        "--port",
        String(port),
        "--persist-to",
        join(state, "state"),
        "--dev-vars",
        join(state, ".dev.vars"),
      ],
      {
        cwd: ROOT,
        env: toolEnv({ OPENAI_BASE: own.base, OPENAI_MODEL: "users-model" }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout?.on("data", (data) => (output += data));
    child.stderr?.on("data", (data) => (output += data));
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/ready`, 120_000, child);
    await expect.poll(() => output, { timeout: 10_000 }).toContain("model:");

    // It says which model server answers, and it started nothing on the development model's port.
    expect(output).toContain(`model:  openai at ${own.base}, model users-model: answering`);
    expect(output).not.toContain("local development model");
    expect(await portIsFree(devModelPort)).toBe(true);
    const ready = (await (await fetch(`${base}/ready`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ ok: true, provider: "openai", model: "users-model" });

    const guest = (await (await fetch(`${base}/auth/guest`, { method: "POST" })).json()) as { token: string };
    const openai = new OpenAI({ apiKey: guest.token, baseURL: `${base}/v1`, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: "auto",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.model).toBe("users-model");
    const stream = await openai.chat.completions.create({
      model: "auto",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(REPLY);
    expect(own.seen.filter((line) => line === "POST /v1/chat/completions")).toHaveLength(2);
    expect(built()).toEqual(builtBefore);
  } finally {
    if (child && child.exitCode === null) {
      const exited = finished(child);
      child.kill("SIGTERM");
      await exited;
    }
    own.server.close();
    rmSync(state, { recursive: true, force: true });
  }
});

test.describe("when npm start runs the development model", () => {
  const generated = {
    OPENAI_BASE: "http://127.0.0.1:8799/v1",
    OPENAI_API_KEY: "local_abc",
    PREFERRED_PROVIDER: "openai,groq",
  };
  const choose = (vars: Record<string, string>, baseFromEnvironment = false, flag?: boolean) =>
    chooseModelServer(vars, { baseFromEnvironment, flag, fallbackPort: 9012 });

  test("at the address start wrote into .dev.vars", () => {
    expect(choose(generated).devModel?.href).toBe("http://127.0.0.1:8799/v1");
  });

  test("never for an OPENAI_BASE from the environment, a real key, or a provider list without openai", () => {
    expect(choose(generated, true).devModel).toBeNull();
    expect(choose({ ...generated, OPENAI_BASE: "http://localhost:11434/v1" }).devModel).toBeNull();
    expect(choose({ ...generated, OPENAI_API_KEY: "sk-real" }).devModel).toBeNull();
    expect(choose({ ...generated, PREFERRED_PROVIDER: "groq" }).devModel).toBeNull();
    expect(choose(generated, false, false).devModel).toBeNull();
  });

  test("with --dev-model, pointing OPENAI_BASE at it when it was elsewhere", () => {
    const forced = choose({ ...generated, OPENAI_BASE: "https://api.openai.com/v1" }, true, true);
    expect(forced.devModel?.href).toBe("http://127.0.0.1:9012/v1");
    expect(forced.overrides).toEqual({ OPENAI_BASE: "http://127.0.0.1:9012/v1" });
  });
});

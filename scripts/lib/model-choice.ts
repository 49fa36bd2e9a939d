// Which model server `npm start` talks to, and whether it runs the built-in development model.
// The development model runs only when nothing real is configured — OPENAI_BASE is still the
// address start itself wrote into .dev.vars (http://127.0.0.1:<port>/v1 with the generated
// `local_` key), or passed as such with --var — or when asked with --dev-model. An OPENAI_BASE
// from the environment (unless a --var replaces it) is the user's own server (Ollama, vLLM, llama.cpp…): the development model
// is not started and no port is bound for it. --no-dev-model never starts it.

/** Model-server settings `npm start` takes from the environment, like PORT. */
export const FROM_ENVIRONMENT = ["OPENAI_BASE", "OPENAI_MODEL", "PREFERRED_PROVIDER"] as const;

export interface ModelChoice {
  /** Where to start the development model, or null. */
  devModel: URL | null;
  /** Extra --var overrides (OPENAI_BASE when --dev-model moved it). */
  overrides: Record<string, string>;
}

function devModelAddress(raw: string | undefined): URL | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    const plain = url.protocol === "http:" && url.hostname === "127.0.0.1" && url.port !== "";
    return plain && url.pathname.replace(/\/+$/, "") === "/v1" ? url : null;
  } catch {
    return null;
  }
}

export function chooseModelServer(
  vars: Record<string, string>,
  options: {
    /** OPENAI_BASE came from the environment (and no --var replaced it): the user's own server. */
    baseFromEnvironment: boolean;
    /** --dev-model (true), --no-dev-model (false), or neither. */
    flag: boolean | undefined;
    /** Where --dev-model starts it when OPENAI_BASE is not the development model's address. */
    fallbackPort: number;
  },
): ModelChoice {
  const { flag, fallbackPort } = options;
  if (flag === false) return { devModel: null, overrides: {} };
  const address = devModelAddress(vars.OPENAI_BASE);
  if (flag === true) {
    if (address) return { devModel: address, overrides: {} };
    const moved = new URL(`http://127.0.0.1:${fallbackPort}/v1`);
    return { devModel: moved, overrides: { OPENAI_BASE: moved.href } };
  }
  if (options.baseFromEnvironment) return { devModel: null, overrides: {} };
  const generated = (vars.OPENAI_API_KEY ?? "").startsWith("local_");
  const used = (vars.PREFERRED_PROVIDER ?? "openai").toLowerCase().includes("openai");
  return { devModel: address && generated && used ? address : null, overrides: {} };
}

interface ReadyProvider {
  name: string;
  model: string;
  configured: boolean;
  reason?: string;
}

/** The base URL a provider is reached at, from the settings `npm start` runs with. */
function baseOf(name: string, vars: Record<string, string>): string | null {
  if (name === "openai") return vars.OPENAI_BASE ?? "https://api.openai.com/v1";
  if (name === "groq") return vars.GROQ_BASE ?? "https://api.groq.com/openai/v1";
  try {
    const extra = JSON.parse(vars.PROVIDERS ?? "{}")[name] as { base?: string } | undefined;
    return extra?.base ?? null;
  } catch {
    return null;
  }
}

/** Does a server on this machine answer at `base`? Remote servers are not probed. */
async function probe(base: string): Promise<string> {
  const host = new URL(base).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) return "remote, not probed";
  try {
    const response = await fetch(`${base.replace(/\/+$/, "")}/models`, { signal: AbortSignal.timeout(3000) });
    return response.ok ? "answering" : `answering with ${response.status} to GET /models`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return `NOT answering (${cause})`;
  }
}

/** The startup lines naming the model server that answers first and the whole provider chain. */
export async function modelLines(
  providers: ReadyProvider[],
  vars: Record<string, string>,
  devModel: string | null,
): Promise<string[]> {
  const chain = providers
    .map((p) => (p.configured ? `${p.name} (${p.model})` : `${p.name} (skipped: ${p.reason ?? "not configured"})`))
    .join(" → ");
  const first = providers.find((p) => p.configured);
  const base = first ? baseOf(first.name, vars) : null;
  let model = "none: no provider is configured";
  if (first && devModel && first.name === "openai")
    model = `the local development model at ${devModel} (not a real LLM)`;
  else if (first && base) model = `${first.name} at ${base}, model ${first.model}: ${await probe(base)}`;
  else if (first) model = `${first.name} (Workers AI: it cannot run on this machine)`;
  return [`  model:  ${model}`, `  chain:  ${chain || "none"}`];
}

// The runbook's operator probes, each a small function that returns pass/fail with evidence.
// Nothing secret (the admin key, a token) is ever put in the evidence.

export interface ProbeOptions {
  base: string;
  origin: string;
  /** The account the user probes act for; with an API key and no explicit email, the key's own. */
  email?: string;
  adminKey?: string;
  /** One of the account's API keys (cg_sk_…): its proof of identity in `verified` mode. */
  apiKey?: string;
  timeoutMs: number;
}

export interface ProbeResult {
  name: string;
  ok: boolean;
  evidence: string[];
  /** Raw facts the proofs file records. */
  proof?: Record<string, string | number | null>;
}

type Probe = { name: string; run: (options: ProbeOptions) => Promise<Omit<ProbeResult, "name">> };

const CUSTOM_HEADER = "X-Intelligence-Tier";
const REQUESTED_HEADERS = `Content-Type, X-User-Email, ${CUSTOM_HEADER}`;

async function http(options: ProbeOptions, path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, options.base), {
    ...init,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; the text is the evidence
  }
  return { response, text, json: json as Record<string, unknown> | null };
}

function errorOf(json: Record<string, unknown> | null, text: string): string {
  const error = json?.error as { code?: string; message?: string } | undefined;
  return error ? `${error.code}: ${error.message}` : text.slice(0, 160);
}

/**
 * The user probes' identity. `verified` mode (the default) honours an asserted email only with
 * proof: an API key of that account (preferred: it is what the account's own programs use), else
 * the admin key acting on the account's behalf.
 */
function userHeaders(options: ProbeOptions): Record<string, string> {
  const headers: Record<string, string> = { Origin: options.origin };
  if (options.email) headers["X-User-Email"] = options.email;
  if (options.apiKey) headers["X-Api-Key"] = options.apiKey;
  else if (options.adminKey) headers["X-Admin-Key"] = options.adminKey;
  return headers;
}

/** Who the user probes act as, for the evidence (never a key). */
export function actingAs(options: ProbeOptions): string {
  const account = options.email ?? "the API key's account";
  return options.apiKey
    ? `${account} (API key)`
    : options.adminKey
      ? `${account} (admin key)`
      : `${account} (no proof)`;
}

export const PROBES: Probe[] = [
  {
    name: "CORS preflight",
    async run(options) {
      const { response } = await http(options, "/api/si/ask", {
        method: "OPTIONS",
        headers: {
          Origin: options.origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": REQUESTED_HEADERS,
        },
      });
      const allowOrigin = response.headers.get("Access-Control-Allow-Origin");
      const allowHeaders = response.headers.get("Access-Control-Allow-Headers");
      const exposeHeaders = response.headers.get("Access-Control-Expose-Headers");
      const problems = [
        response.status !== 204 && `status ${response.status}, expected 204`,
        allowOrigin !== options.origin &&
          `Access-Control-Allow-Origin is ${allowOrigin ?? "missing"}, expected ${options.origin}`,
        !allowHeaders?.toLowerCase().includes(CUSTOM_HEADER.toLowerCase()) &&
          `${CUSTOM_HEADER} is not in Access-Control-Allow-Headers`,
        !exposeHeaders?.includes("X-Credits-Balance") && "the billing headers are not exposed",
      ].filter(Boolean) as string[];
      return {
        ok: problems.length === 0,
        evidence: [
          `status ${response.status}`,
          `Access-Control-Allow-Origin: ${allowOrigin ?? "(none)"}`,
          `Access-Control-Allow-Headers: ${allowHeaders ?? "(none)"}`,
          `Access-Control-Expose-Headers: ${exposeHeaders ?? "(none)"}`,
          ...problems.map((p) => `problem: ${p}`),
        ],
        proof: { status: response.status, allowOrigin, allowHeaders, exposeHeaders },
      };
    },
  },
  {
    name: "Workers AI binding",
    async run(options) {
      const { response, json, text } = await http(options, "/api/ai/binding");
      const bound = json?.ai_bound === true;
      return {
        ok: response.ok && bound,
        evidence: [
          `${response.status} ${text.trim().slice(0, 120)}`,
          ...(bound ? [] : ["problem: attach the AI binding and redeploy"]),
        ],
        proof: { body: text.trim() },
      };
    },
  },
  {
    name: "JWKS",
    async run(options) {
      const { response, json, text } = await http(options, "/.well-known/jwks.json");
      const keys = Array.isArray(json?.keys) ? (json.keys as Array<{ kid?: string }>) : [];
      const head = text.slice(0, 120);
      return {
        ok: response.ok && keys.length > 0,
        evidence: [
          `${response.status}, ${keys.length} key(s): ${keys.map((k) => k.kid).join(", ")}`,
          `first 120 characters: ${head}`,
        ],
        proof: { head },
      };
    },
  },
  {
    name: "Guest token",
    async run(options) {
      const { response, json, text } = await http(options, "/auth/guest", {
        method: "POST",
        headers: { Origin: options.origin },
      });
      const token = typeof json?.token === "string" ? json.token : "";
      const ok = response.ok && token.split(".").length === 3 && typeof json?.exp === "number";
      return {
        ok,
        evidence: ok
          ? [
              `${response.status}, a ${token.length}-character RS256 token expiring ${new Date(Number(json?.exp) * 1000).toISOString()}`,
            ]
          : [`${response.status} ${errorOf(json, text)}`],
      };
    },
  },
  {
    name: "Credits",
    async run(options) {
      const { response, json, text } = await http(options, "/api/credits", { headers: userHeaders(options) });
      return {
        ok: response.ok && typeof json?.balance === "number",
        evidence: [
          response.ok
            ? `${response.status}, ${json?.account} has ${json?.balance} credits`
            : `${response.status} ${errorOf(json, text)}`,
        ],
      };
    },
  },
  {
    name: "Usage (limit 5)",
    async run(options) {
      const { response, json, text } = await http(options, "/api/billing/usage?limit=5", {
        headers: userHeaders(options),
      });
      const records = Array.isArray(json?.records) ? json.records.length : -1;
      return {
        ok: response.ok && records >= 0 && records <= 5,
        evidence: [
          response.ok ? `${response.status}, ${records} record(s)` : `${response.status} ${errorOf(json, text)}`,
        ],
      };
    },
  },
  {
    name: "Direct upload (1 MB)",
    async run(options) {
      const body = new Uint8Array(1024 * 1024);
      crypto.getRandomValues(body.subarray(0, 65_536));
      const { response, json, text } = await http(options, "/api/upload/direct?filename=probe-random.bin", {
        method: "POST",
        headers: { ...userHeaders(options), "Content-Type": "application/octet-stream" },
        body,
      });
      return {
        ok: response.status === 201 && json?.size === body.byteLength,
        evidence: [
          response.ok
            ? `${response.status}, stored ${json?.size} bytes at ${json?.key}`
            : `${response.status} ${errorOf(json, text)}`,
        ],
      };
    },
  },
  {
    name: "Admin ping",
    async run(options) {
      if (!options.adminKey)
        return { ok: false, evidence: ["no admin key: set COGNOMEGA_ADMIN_KEY (or pass --admin-key)"] };
      const { response, json, text } = await http(options, "/api/admin/ping", {
        headers: { "X-Admin-Key": options.adminKey },
      });
      return {
        ok: response.ok && json?.ok === true,
        evidence: [`${response.status} ${response.ok ? "admin key accepted" : errorOf(json, text)}`],
      };
    },
  },
  {
    name: "Admin cleanup (dry run)",
    async run(options) {
      if (!options.adminKey)
        return { ok: false, evidence: ["no admin key: set COGNOMEGA_ADMIN_KEY (or pass --admin-key)"] };
      const { response, json, text } = await http(options, "/api/admin/cleanup", {
        method: "POST",
        headers: { "X-Admin-Key": options.adminKey, "Content-Type": "application/json" },
        body: JSON.stringify({ kind: "both", older_than_days: 30, limit: 500, dry_run: true }),
      });
      const usage = json?.usage as { matched?: number } | undefined;
      const jobs = json?.jobs as { matched?: number } | undefined;
      return {
        ok: response.ok && json?.dry_run === true,
        evidence: [
          response.ok
            ? `${response.status}, would prune ${usage?.matched ?? 0} usage record(s) and ${jobs?.matched ?? 0} job(s); nothing deleted`
            : `${response.status} ${errorOf(json, text)}`,
        ],
      };
    },
  },
  {
    name: "Health",
    async run(options) {
      const { response, json, text } = await http(options, "/ready");
      return {
        ok: response.status === 200 && json?.ok === true,
        evidence: [`${response.status} ${text.trim().slice(0, 200)}`],
      };
    },
  },
];

export async function runProbe(probe: Probe, options: ProbeOptions): Promise<ProbeResult> {
  try {
    return { name: probe.name, ...(await probe.run(options)) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${options.timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? String(error));
    return { name: probe.name, ok: false, evidence: [`could not reach ${options.base}: ${reason}`] };
  }
}

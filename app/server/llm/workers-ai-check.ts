// The runbook's Workers AI checks: is the binding attached, and does a tiny prompt come back.
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { aiBound } from "./providers/workers-ai";
import { PROVIDERS } from "./registry";
import { ProviderError } from "./types";

export async function pingWorkersAi(scope: RequestScope) {
  if (!aiBound(scope.env)) throw new ApiError(503, "ai_unbound", "The AI binding is not attached to this Worker.");
  const model = scope.config.models.cfai;
  const started = Date.now();
  try {
    const answer = await PROVIDERS.cfai
      .create(scope.config, scope.env)
      .complete(
        { model, messages: [{ role: "user", content: "Reply with the single word: pong" }], maxTokens: 8 },
        AbortSignal.timeout(scope.config.llm.attemptTimeoutMs),
      );
    return { ok: true as const, model, latency_ms: Date.now() - started, text: answer.text.trim() };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const status = error.kind === "unavailable" ? 503 : 502;
    throw new ApiError(status, status === 503 ? "ai_unavailable" : "ai_failed", error.message, {
      model,
      latency_ms: Date.now() - started,
    });
  }
}

// Our log lines: one JSON object each, with `level`, `request_id` and `msg` first, so
// `wrangler tail` output can be searched by the X-Request-Id a caller quotes (OPS.md §1).

export type LogLevel = "info" | "error";

export function log(level: LogLevel, requestId: string, msg: string, extra: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, request_id: requestId, msg, ...extra });
  if (level === "error") console.error(line);
  else console.log(line);
}

/** A thrown value in words, for a log line (never shown to a client). */
export function errorDetail(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
}

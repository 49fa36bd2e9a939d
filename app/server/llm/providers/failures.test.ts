import { describe, expect, it } from "vitest";
import { ClientGone, ProviderError } from "../types";
import { failureFromStatus, failureFromThrown, providerDetail, retryAfterMs } from "./failures";

describe("a provider's answer status, in the gateway's terms", () => {
  it.each([
    [408, "retryable"],
    [409, "retryable"],
    [429, "retryable"],
    [500, "retryable"],
    [502, "retryable"],
    [503, "retryable"],
    [529, "retryable"],
    [400, "request"],
    [413, "request"],
    [422, "request"],
    [401, "unavailable"],
    [403, "unavailable"],
    [404, "unavailable"],
    [418, "unavailable"],
  ] as const)("%i is %s", (status, kind) => {
    const error = failureFromStatus("groq", status, "");
    expect(error).toBeInstanceOf(ProviderError);
    expect({ kind: error.kind, status: error.status }).toEqual({ kind, status });
  });

  it("keeps Retry-After on a retryable failure and names the provider and its words", () => {
    const error = failureFromStatus("openai", 429, "slow down", 2000);
    expect(error).toMatchObject({ kind: "retryable", retryAfterMs: 2000, message: "openai answered 429: slow down" });
  });

  it("never repeats a credential rejection's details", () => {
    expect(failureFromStatus("groq", 401, "key gsk_abc is wrong").message).toBe("groq rejected our credentials (401)");
  });
});

describe("Retry-After", () => {
  it("reads delta-seconds and HTTP dates, and ignores nonsense", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(retryAfterMs(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe("a thrown call", () => {
  it("is a timeout (retryable) when the attempt's own timer fired", () => {
    const signal = AbortSignal.abort(new DOMException("timed out", "TimeoutError"));
    expect(failureFromThrown("groq", new Error("aborted"), signal)).toMatchObject({ kind: "retryable" });
  });

  it("is the client leaving when anything else aborted it", () => {
    expect(failureFromThrown("groq", new Error("aborted"), AbortSignal.abort())).toBeInstanceOf(ClientGone);
  });

  it("is a retryable connection failure otherwise", () => {
    const error = failureFromThrown("groq", new TypeError("Network connection lost"), new AbortController().signal);
    expect(error).toMatchObject({ kind: "retryable", message: "groq connection failed (Network connection lost)" });
  });
});

describe("a provider's own error text", () => {
  it("is taken from its JSON, shortened, with anything like a key redacted", () => {
    expect(providerDetail('{"error":{"message":"bad key sk-abcdefghijkl   given"}}')).toBe("bad key [redacted] given");
    expect(providerDetail('{"error":"plain"}')).toBe("plain");
    expect(providerDetail("x".repeat(400))).toHaveLength(300);
  });
});

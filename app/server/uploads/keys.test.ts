import { describe, expect, it } from "vitest";
import { accountSegment, newUploadKey, ownsKey, uploadPrefix } from "./keys";

describe("upload folders", () => {
  it("keep an ordinary email as it is", () => {
    expect(accountSegment("ana.maria+cg@example.co.uk")).toBe("ana.maria+cg@example.co.uk");
  });

  it("never give two accounts the same folder", () => {
    const accounts = [
      "a!b@example.com",
      "a#b@example.com",
      "a_b@example.com",
      "a%21b@example.com",
      "a/b@example.com",
      "guest:abc",
      "guest_abc",
      "ä@example.com",
      "a\u0000@example.com",
    ];
    const segments = accounts.map(accountSegment);
    expect(new Set(segments).size).toBe(accounts.length);
    for (const segment of segments) expect(segment).not.toContain("/");
    // Lossless: the segment decodes back to the account.
    expect(segments.map((segment) => decodeURIComponent(segment))).toEqual(accounts);
  });

  it("own only keys inside the account's folder", () => {
    const key = newUploadKey("a_b@example.com", "notes.txt");
    expect(key.startsWith(uploadPrefix("a_b@example.com"))).toBe(true);
    expect(ownsKey("a_b@example.com", key)).toBe(true);
    expect(ownsKey("a!b@example.com", key)).toBe(false);
    expect(ownsKey("a_b@example.com", "uploads/a_b@example.com/../x/y")).toBe(false);
  });

  it("keep every key within R2's 1,024 bytes", () => {
    const key = newUploadKey(`${"!".repeat(60)}@${"ß".repeat(60)}.example`, "名".repeat(100));
    expect(new TextEncoder().encode(key).byteLength).toBeLessThanOrEqual(1024);
    expect(key.endsWith("名")).toBe(true);
  });
});

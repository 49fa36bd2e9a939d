import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvCell, csvLine, recordLine } from "./csv";
import type { LedgerRecord } from "./types";

describe("CSV cells (RFC 4180)", () => {
  it("quote a cell with a quote, comma or line break, doubling the quotes", () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rlf")).toBe('"cr\rlf"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("neutralise text a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });

  it("write numbers as numbers (a negative adjustment stays a number) and nothing for null", () => {
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });

  it("lay a record out under the header's columns", () => {
    const record = {
      id: "use_1",
      kind: "usage",
      at: Date.UTC(2026, 10, 27, 12),
      micro: 1_500,
      balance_after: 2_000_000,
      provider: "openai",
      model: "gpt-4o-mini",
      tokens_in: 10,
      tokens_out: 20,
      request_id: "req-1",
      key_id: null,
    } as unknown as LedgerRecord;
    expect(CSV_HEADER.split(",")).toHaveLength(11);
    expect(recordLine("a@example.com", record)).toBe(
      "2026-11-27T12:00:00.000Z,a@example.com,,usage,openai,gpt-4o-mini,10,20,0.0015,2,req-1\r\n",
    );
  });
});

// Usage records as CSV (RFC 4180): quoted where a cell holds a quote, comma or line break,
// CRLF line ends, and text cells that a spreadsheet would run as a formula (leading `=`, `+`, `-`,
// `@`, tab or CR) prefixed with an apostrophe. Numbers are written by us and never neutralised,
// so a negative adjustment stays a number.
import { creditsFromMicro } from "./money";
import type { LedgerRecord } from "./types";

export const CSV_HEADER =
  "time,account,key_id,kind,provider,model,tokens_in,tokens_out,credits,balance_after,request_id";

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** One record as a CSV line (credits signed: usage is positive spend, as the feed shows it). */
export function recordLine(account: string, record: LedgerRecord): string {
  return csvLine([
    new Date(record.at).toISOString(),
    account,
    record.key_id,
    record.kind,
    record.provider,
    record.model,
    record.tokens_in,
    record.tokens_out,
    creditsFromMicro(record.micro),
    creditsFromMicro(record.balance_after),
    record.request_id,
  ]);
}

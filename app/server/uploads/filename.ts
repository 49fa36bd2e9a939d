// Filenames from the outside world, made safe to store: no paths, no control or invisible
// characters, no odd unicode look-alikes, bounded length, the extension kept.

export const MAX_FILENAME_INPUT = 1024;
const MAX_NAME = 100;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

export function sanitizeFilename(raw: string): string {
  let name = raw.normalize("NFKC");
  // Keep only the last path segment, whichever separator was used.
  name = name.split(/[/\\]/).pop() ?? "";
  name = name
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu, "") // controls, bidi overrides, zero-width
    .replace(/\s+/gu, " ")
    .replace(/[^\p{L}\p{N} ._()+-]/gu, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
    name = name.slice(0, MAX_NAME - ext.length).replace(/[\s.]+$/, "") + ext;
  }
  return name || "file";
}

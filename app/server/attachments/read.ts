// Attached files, given to the model. The server reads the caller's own uploads from R2 by key
// (never content the client claims a file has), so the prompt's bound — and with it the hold and
// the bill — sees exactly what the model is sent:
//  - text-like files (text, Markdown, CSV, JSON, source code) as their text;
//  - images as image parts (vision models; others get the name, llm/vision.ts);
//  - other documents through Workers AI's conversion (`toMarkdown`) when the binding can run it
//    (it cannot offline), else only the name, and the answer's `attachments` report says so.
// All of it within ATTACHMENT_TOKEN_BUDGET per ask: the rest of a long file is cut, and says so.
import type { AttachmentShared } from "~/shared/ask-events";
import { ATTACHMENT_BYTE_BUDGET, attachmentKind, looksBinary } from "~/shared/attachment-kind";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { aiBound } from "../llm/providers/workers-ai";
import type { ContentPart } from "../llm/types";
import { ownsKey } from "../uploads/keys";

export { ATTACHMENT_BYTE_BUDGET };
/** The largest image sent as an image part (bigger ones are shared by name). */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
const CONVERSION_TIMEOUT_MS = 15_000;

/**
 * How an attachment reached the model, as the answer reports it (`attachments`): content (its
 * text), image (as an image), converted (as Markdown) or name (only its name, with the reason).
 */
export type AttachmentReport = AttachmentShared;

export interface ReadAttachment {
  report: AttachmentReport;
  parts: ContentPart[];
}

const quote = (value: string) => value.replace(/["<>\r\n]/g, "_");
const decoder = () => new TextDecoder("utf-8", { fatal: false });

function header(report: AttachmentReport, extra = ""): string {
  return `<attachment name="${quote(report.name)}" type="${quote(report.content_type)}" bytes="${report.size}"${extra}>`;
}

/** Text cut to `budget` bytes at a character boundary; whether it was cut. */
function bounded(text: string, budget: number): { text: string; cut: boolean } {
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength <= budget) return { text, cut: false };
  return {
    text: decoder()
      .decode(bytes.subarray(0, budget))
      .replace(/\uFFFD$/, ""),
    cut: true,
  };
}

function asText(report: AttachmentReport, text: string, cut: boolean): ReadAttachment {
  const extra = cut ? ` truncated="only the first ${new TextEncoder().encode(text).byteLength} bytes are shown"` : "";
  return {
    report: { ...report, ...(cut ? { truncated: true } : {}) },
    parts: [{ type: "text", text: `${header(report, extra)}\n${text}\n</attachment>` }],
  };
}

function nameOnly(report: AttachmentReport, reason: string): ReadAttachment {
  return {
    report: { ...report, shared: "name", reason },
    parts: [{ type: "text", text: `${header(report, ` content="not shared: ${quote(reason)}"`)}</attachment>` }],
  };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function converted(scope: RequestScope, report: AttachmentReport, object: R2ObjectBody, budget: number) {
  if (!aiBound(scope.env) || typeof scope.env.AI.toMarkdown !== "function") {
    return nameOnly(report, "document conversion is not available on this server");
  }
  try {
    const blob = new Blob([await object.arrayBuffer()], { type: report.content_type });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), CONVERSION_TIMEOUT_MS);
    });
    const result = await Promise.race([scope.env.AI.toMarkdown({ name: report.name, blob }), timeout]).finally(() =>
      clearTimeout(timer),
    );
    if (result.format === "error" || !result.data.trim()) return nameOnly(report, "this file type could not be read");
    const { text, cut } = bounded(result.data, budget);
    return asText({ ...report, shared: "converted" }, text, cut);
  } catch {
    // Offline the binding throws "needs to be run remotely"; in production, an unsupported type.
    return nameOnly(report, "document conversion is not available on this server");
  }
}

/**
 * Reads one attachment of `account` within `budget` bytes of text (another account's key: 404).
 */
export async function readAttachment(
  scope: RequestScope,
  account: string,
  key: string,
  budget: number,
  vision: boolean,
): Promise<ReadAttachment> {
  const notFound = new ApiError(404, "attachment_not_found", "An attached file was not found among your uploads.", {
    key,
  });
  // Another account's key is a 404 without I/O: nothing says whether someone else's file exists.
  if (!ownsKey(account, key)) throw notFound;
  const head = await scope.env.R2_UPLOADS.head(key);
  if (!head) {
    // The account deleted its own upload since: the conversation goes on, with the name only.
    const name =
      key
        .split("/")
        .pop()
        ?.replace(/^[0-9a-f]{16}-/, "") || "file";
    const gone: AttachmentReport = { key, name, size: 0, content_type: "application/octet-stream", shared: "name" };
    return nameOnly(gone, "the file is no longer among your uploads");
  }
  if (head.customMetadata?.account && head.customMetadata.account !== account) throw notFound;
  const report: AttachmentReport = {
    key,
    name: head.customMetadata?.filename ?? key.split("/").pop() ?? "file",
    size: head.size,
    content_type: head.httpMetadata?.contentType ?? "application/octet-stream",
    shared: "content",
  };
  const kind = attachmentKind(report.name, report.content_type);
  if (kind === "image") {
    if (!vision) return nameOnly(report, "the model here cannot see images");
    if (head.size > MAX_IMAGE_BYTES) return nameOnly(report, "the image is larger than 4 MB");
    const object = await scope.env.R2_UPLOADS.get(key);
    if (!object) throw notFound;
    const url = `data:${report.content_type.split(";")[0]};base64,${base64(new Uint8Array(await object.arrayBuffer()))}`;
    return {
      report: { ...report, shared: "image" },
      parts: [
        { type: "text", text: `${header(report, ' content="image"')}</attachment>` },
        { type: "image_url", image_url: { url } },
      ],
    };
  }
  if (budget <= 0) return nameOnly(report, "the attachments' token budget for one message was used up");
  if (kind === "text") {
    // Only what fits is read; a character cut in two at the end is dropped.
    const length = Math.min(head.size, budget);
    const object = await scope.env.R2_UPLOADS.get(key, { range: { offset: 0, length } });
    if (!object) throw notFound;
    const bytes = new Uint8Array(await object.arrayBuffer());
    if (!looksBinary(bytes)) {
      const cut = head.size > length;
      const text = decoder().decode(bytes);
      return asText(report, cut ? text.replace(/\uFFFD$/, "") : text, cut);
    }
  }
  const object = await scope.env.R2_UPLOADS.get(key);
  if (!object) throw notFound;
  return converted(scope, report, object, budget);
}

/** Bytes of text an attachment's parts took from the budget. */
export function textBytes(read: ReadAttachment): number {
  return read.parts.reduce(
    (sum, part) => sum + (part.type === "text" ? new TextEncoder().encode(part.text).byteLength : 0),
    0,
  );
}

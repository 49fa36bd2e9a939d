// An ask's attachments, read and put into its messages before the hold is sized, so the prompt's
// bound counts every byte the model is sent (attachments/read.ts says how each kind is shared).
import { identityOf } from "../auth/identity";
import type { Caller } from "../billing/types";
import type { RequestScope } from "../context";
import type { ChatMessage, ContentPart } from "../llm/types";
import { ATTACHMENT_BYTE_BUDGET, type AttachmentReport, readAttachment, textBytes } from "./read";

function appended(message: ChatMessage, parts: ContentPart[]): ChatMessage {
  const before: ContentPart[] =
    typeof message.content === "string"
      ? message.content.trim()
        ? [{ type: "text", text: message.content }]
        : []
      : message.content;
  const all = [...before, ...parts];
  // Text alone stays a plain string: every provider takes that.
  if (all.every((part) => part.type === "text")) {
    return { ...message, content: all.map((part) => (part.type === "text" ? part.text : "")).join("\n\n") };
  }
  return { ...message, content: all };
}

/**
 * The messages with their attachments' content, and how each one was shared. Attachments are
 * read in order; each takes what it needs of the budget that the earlier ones left.
 */
export async function withAttachments(
  scope: RequestScope,
  caller: Caller,
  messages: ChatMessage[],
  refs: Array<{ message: number; key: string }>,
  /** The model the ask goes to can see images (llm/vision.ts); else they are shared by name. */
  vision: boolean,
): Promise<{ messages: ChatMessage[]; attachments: AttachmentReport[] }> {
  if (!refs.length) return { messages, attachments: [] };
  // Whose uploads these may be (for a key: one ledger round trip, only when files are attached).
  const { account } = await identityOf(scope, caller);
  const result = [...messages];
  const attachments: AttachmentReport[] = [];
  let budget = ATTACHMENT_BYTE_BUDGET;
  for (const ref of refs) {
    const read = await readAttachment(scope, account, ref.key, budget, vision);
    budget -= textBytes(read);
    attachments.push(read.report);
    const message = result[ref.message];
    if (message) result[ref.message] = appended(message, read.parts);
  }
  return { messages: result, attachments };
}

// A conversation exported as a file: Markdown to read, JSON to keep or process.
import type { Conversation } from "./conversations";

export function conversationMarkdown(conversation: Conversation): string {
  const lines = [`# ${conversation.title}`, "", `_Exported from Cognomega, ${new Date().toISOString()}_`, ""];
  for (const turn of conversation.turns) {
    if (turn.role === "user") lines.push("## You", "", turn.text, "");
    else if (turn.role === "file") lines.push(`> Attached file: ${turn.name} (${turn.size} bytes)`, "");
    else {
      const by = turn.bill ? ` (${turn.bill.provider} · ${turn.bill.model})` : "";
      lines.push(`## Cognomega${by}`, "", turn.text || `_(${turn.status}, no text)_`, "");
    }
  }
  return lines.join("\n");
}

export function conversationJson(conversation: Conversation): string {
  const { id, title, updatedAt, turns } = conversation;
  return JSON.stringify({ id, title, updated_at: new Date(updatedAt).toISOString(), turns }, null, 2);
}

/** A file name from the title: letters, digits and dashes. */
export function exportName(conversation: Conversation, extension: string): string {
  const base = conversation.title
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || "conversation"}.${extension}`;
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

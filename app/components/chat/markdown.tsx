// An answer's markdown, sanitized, with working "Copy code" buttons on code blocks.
import { type MouseEvent, useMemo } from "react";
import { renderMarkdown } from "~/client/markdown";
import { copyText } from "./copy-button";

async function copyCode(event: MouseEvent<HTMLDivElement>) {
  const button = (event.target as Element).closest<HTMLButtonElement>("[data-copy-code]");
  const code = button?.closest(".code-block")?.querySelector("code")?.textContent;
  if (!button || code == null) return;
  button.textContent = (await copyText(code)) ? "Copied" : "Copy failed";
  setTimeout(() => {
    button.textContent = "Copy code";
  }, 1500);
}

export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Clicks reach the code blocks' buttons through delegation; they are not links or inputs.
  // biome-ignore lint/a11y/noStaticElementInteractions: the interactive elements inside are real buttons
  // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation of those buttons fires click
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML and sanitizes with DOMPurify
  return <div className="markdown" onClick={copyCode} dangerouslySetInnerHTML={{ __html: html }} />;
}

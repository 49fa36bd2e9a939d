// An answer's markdown, sanitized, with working "Copy code" buttons on code blocks. The renderer
// (marked + DOMPurify) is fetched on demand: until it arrives the text shows as plain text.
// Wide code and tables get a visible hint and a tab stop while they scroll sideways.
import { type MouseEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { copyText } from "./copy-button";

type Render = (markdown: string) => string;

let loaded: Render | null = null;
let loading: Promise<Render> | null = null;

/** Starts fetching the renderer (the chat calls it once it is idle, before any answer). */
export function preloadMarkdown(): Promise<Render> {
  loading ??= import("~/client/markdown").then((module) => {
    loaded = module.renderMarkdown;
    return loaded;
  });
  return loading;
}

async function copyCode(event: MouseEvent<HTMLDivElement>) {
  const button = (event.target as Element).closest<HTMLButtonElement>("[data-copy-code]");
  const code = button?.closest(".code-block")?.querySelector("code")?.textContent;
  if (!button || code == null) return;
  const name = button.getAttribute("aria-label") ?? "Copy code";
  const said = (await copyText(code)) ? "Copied" : "Copy failed";
  button.textContent = said;
  button.setAttribute("aria-label", name.replace(/^Copy/, said));
  setTimeout(() => {
    button.textContent = "Copy code";
    button.setAttribute("aria-label", name);
  }, 1500);
}

/** Marks each wide block that overflows: it shows its hint and takes keyboard focus to scroll. */
function markOverflow(root: HTMLElement) {
  for (const block of root.querySelectorAll<HTMLElement>("[data-wide]")) {
    const scroller = block.querySelector<HTMLElement>(".wide-scroll");
    if (!scroller) continue;
    const wide = scroller.scrollWidth > scroller.clientWidth + 1;
    block.toggleAttribute("data-overflowing", wide);
    if (wide) scroller.setAttribute("tabindex", "0");
    else scroller.removeAttribute("tabindex");
  }
}

export function Markdown({ text }: { text: string }) {
  const [render, setRender] = useState<Render | null>(() => loaded);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!render) void preloadMarkdown().then((fn) => setRender(() => fn));
  }, [render]);
  const html = useMemo(() => (render ? render(text) : null), [render, text]);

  useLayoutEffect(() => {
    if (box.current && html !== null) markOverflow(box.current);
  }, [html]);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => markOverflow(element));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  if (html === null) {
    return (
      <div ref={box} className="markdown whitespace-pre-wrap" dir="auto">
        {text}
      </div>
    );
  }
  // Clicks reach the code blocks' buttons through delegation; they are not links or inputs.
  // biome-ignore lint/a11y/noStaticElementInteractions: the interactive elements inside are real buttons
  // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation of those buttons fires click
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML and sanitizes with DOMPurify
  return <div ref={box} className="markdown" onClick={copyCode} dangerouslySetInnerHTML={{ __html: html }} />;
}

// Model output → safe HTML. Raw HTML in the markdown is shown as text (never parsed), images
// become links (a remote image is a tracking pixel), and DOMPurify sanitizes the result.
import DOMPurify from "dompurify";
import { Marked } from "marked";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
    code({ text, lang }) {
      const language = lang?.match(/^[\w#+.-]{1,24}/)?.[0] ?? "code";
      return (
        `<div class="code-block"><div class="code-head"><span>${escapeHtml(language)}</span>` +
        `<button type="button" data-copy-code>Copy code</button></div>` +
        `<pre><code>${escapeHtml(text)}</code></pre></div>`
      );
    },
  },
});

let hooked = false;

function purifier() {
  if (!hooked) {
    hooked = true;
    // Links leave the app in a new tab without giving the target our window or our URL.
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName !== "A") return;
      const href = node.getAttribute("href") ?? "";
      if (!/^(https?:|mailto:)/i.test(href)) node.removeAttribute("href");
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    });
  }
  return DOMPurify;
}

/** Sanitized HTML for `markdown`; in a runtime without a DOM, the escaped text. */
export function renderMarkdown(markdown: string): string {
  if (typeof document === "undefined") return escapeHtml(markdown);
  const html = marked.parse(markdown) as string;
  return purifier().sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "textarea", "select", "img", "svg", "math", "iframe"],
    FORBID_ATTR: ["style"],
  });
}

// Model output → safe HTML. Raw HTML in the markdown is shown as text (never parsed), images
// become links (a remote image is a tracking pixel), and DOMPurify sanitizes the result.
// Wide code and tables scroll inside named regions; every block reads in its own script's
// direction (dir="auto"), so Arabic or Hebrew paragraphs run right to left.
// Loaded on demand (see components/chat/markdown.tsx): the first paint does not need it.
import DOMPurify from "dompurify";
import { Marked, Renderer } from "marked";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Code blocks and tables are numbered per answer, so their names tell them apart. */
const counters = { code: 0, table: 0 };

const SCROLL_HINT = `<span class="wide-hint" aria-hidden="true">Scroll sideways →</span>`;

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
    code({ text, lang }) {
      const language = escapeHtml(lang?.match(/^[\w#+.-]{1,24}/)?.[0] ?? "code");
      counters.code += 1;
      const name = `code block ${counters.code} (${language})`;
      return (
        `<div class="code-block" data-wide><div class="code-head"><span>${language}</span>${SCROLL_HINT}` +
        `<button type="button" data-copy-code aria-label="Copy ${name}">Copy code</button></div>` +
        `<pre class="wide-scroll" dir="ltr" role="region" aria-label="${name[0]?.toUpperCase()}${name.slice(1)}">` +
        `<code>${escapeHtml(text)}</code></pre></div>`
      );
    },
    table(token) {
      counters.table += 1;
      const table = Renderer.prototype.table.call(this, token);
      return (
        `<div class="wide-table" data-wide>${SCROLL_HINT}` +
        `<div class="wide-scroll" role="region" aria-label="Table ${counters.table}">${table}</div></div>`
      );
    },
  },
});

/** Blocks whose direction follows their own first strong character. */
const OWN_DIRECTION = new Set(["P", "LI", "UL", "OL", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "TD", "TH"]);

let hooked = false;

function purifier() {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (OWN_DIRECTION.has(node.tagName)) node.setAttribute("dir", "auto");
      if (node.tagName !== "A") return;
      // Links leave the app in a new tab without giving the target our window or our URL.
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
  counters.code = 0;
  counters.table = 0;
  const html = marked.parse(markdown) as string;
  return purifier().sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "textarea", "select", "img", "svg", "math", "iframe"],
    FORBID_ATTR: ["style"],
  });
}

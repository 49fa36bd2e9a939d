// Markdown as a voice should read it: the words, without the marks. Code blocks are skipped (a
// voice reading `const x = 1;` helps nobody), links keep their text and lose their address,
// headings, list items and table rows end in a pause, and bare addresses are dropped.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const RULE = /^ {0,3}([-*_])( *\1){2,} *$/;
const TABLE_DIVIDER = /^ *\|? *:?-{3,}:? *(\| *:?-{3,}:? *)*\|? *$/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]: *\S+/;
const HEADING = /^ {0,3}#{1,6}(?: +(.*?))?(?: +#+)? *$/;
const QUOTE = /^ {0,3}(> ?)+/;
const LIST_ITEM = /^ *(?:[-*+]|\d{1,9}[.)]) +(?:\[[ xX]\] +)?/;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Inline marks off a stretch of text that is not code. */
function plainInline(text: string): string {
  return (
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[\^[^\]]+\]/g, "")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
      .replace(/<(?:https?:|mailto:)[^>\s]*>/gi, "")
      .replace(/<\/?[A-Za-z][^>]*>/g, "")
      .replace(/\bhttps?:\/\/[^\s)]*[^\s).,;:!?]/gi, "")
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
      .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1")
      .replace(/\*(?=\S)([^*]+?)(?<=\S)\*/g, "$1")
      // `_` only as emphasis at word edges, so snake_case names keep theirs.
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, "$1$2")
      .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1")
      .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "")
      .replace(/&#(\d{1,6});/g, (_, code: string) => String.fromCodePoint(Number(code)))
  );
}

/** A line's inline content: code spans keep their words (without backticks), the rest its text. */
function inline(line: string): string {
  const parts = line.split(/(`+)(.+?)\1/);
  let out = "";
  // split with two groups yields [text, ticks, code, text, ticks, code, …]
  for (let i = 0; i < parts.length; i += 3) {
    out += plainInline(parts[i] ?? "");
    if (i + 2 < parts.length) out += (parts[i + 2] ?? "").trim();
  }
  // What was dropped may leave a space before punctuation ("see <url>." → "see .").
  return out
    .replace(/\s+/g, " ")
    .replace(/ ([.,;:!?])/g, "$1")
    .trim();
}

/** Ends a block that stands alone (a heading, a list item, a cell row) with a pause. */
function sentence(text: string): string {
  return !text || /[.!?:;,…]$/.test(text) ? text : `${text}.`;
}

function tableRow(line: string): string {
  const cells = line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell))
    .filter(Boolean);
  return sentence(cells.join(", "));
}

/** The words of `markdown`, one paragraph per line. */
export function speakableText(markdown: string): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = current.join(" ").replace(/\s+/g, " ").trim();
    if (text) paragraphs.push(text);
    current = [];
  };

  for (const raw of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const opening = FENCE.exec(raw);
    if (fence) {
      // Inside a code block: skip until the matching closing fence.
      const marks = opening?.[1];
      if (marks && marks[0] === fence[0] && marks.length >= fence.length && !raw.trim().slice(marks.length).trim()) {
        fence = null;
      }
      continue;
    }
    if (opening) {
      flush();
      fence = opening[1] ?? "```";
      continue;
    }
    const line = raw.replace(QUOTE, "");
    if (!line.trim()) {
      flush();
      continue;
    }
    if (RULE.test(line) || TABLE_DIVIDER.test(line) || LINK_DEFINITION.test(line)) continue;
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      current.push(sentence(inline(heading[1] ?? "")));
      flush();
    } else if (LIST_ITEM.test(line)) {
      flush();
      current.push(sentence(inline(line.replace(LIST_ITEM, ""))));
    } else if (/^ *\|.*\| *$/.test(line)) {
      flush();
      current.push(tableRow(line));
      flush();
    } else {
      current.push(inline(line));
    }
  }
  flush();
  return paragraphs.join("\n");
}

/** Characters as a voice provider counts them (code points, not UTF-16 units). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

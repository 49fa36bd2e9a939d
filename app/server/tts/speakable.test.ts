import { describe, expect, it } from "vitest";
import { characterCount, speakableText } from "./speakable";

describe("speakableText", () => {
  it("skips fenced code blocks, with backticks or tildes, and reads what is around them", () => {
    const markdown = [
      "Run this:",
      "",
      "```js",
      'console.log("hello");',
      "```",
      "",
      "~~~~",
      "rm -rf build",
      "~~~~",
      "Then you are done.",
    ].join("\n");
    expect(speakableText(markdown)).toBe("Run this:\nThen you are done.");
  });

  it("keeps skipping until the fence that closes the block, not a shorter one inside it", () => {
    const markdown = ["````md", "```", "inner", "```", "````", "After."].join("\n");
    expect(speakableText(markdown)).toBe("After.");
  });

  it("drops an unclosed code block to the end, as markdown renders it", () => {
    expect(speakableText("Before.\n```\nnever closed\nstill code")).toBe("Before.");
  });

  it("reads inline code as words without its backticks", () => {
    expect(speakableText("Call `fetch` twice, or ``a `tick` inside``.")).toBe("Call fetch twice, or a `tick` inside.");
  });

  it("takes the marks off emphasis, strong and struck text but leaves snake_case names alone", () => {
    expect(speakableText("This is **bold**, __strong__, *soft*, _quiet_ and ~~gone~~ in my_var_name.")).toBe(
      "This is bold, strong, soft, quiet and gone in my_var_name.",
    );
  });

  it("reads a link's text and an image's alt text, not their addresses", () => {
    expect(
      speakableText("See [the docs](https://example.com/docs) and ![a chart](c.png), or <https://x.y> https://z.w/a."),
    ).toBe("See the docs and a chart, or.");
  });

  it("ends headings and list items with a pause and drops their marks", () => {
    const markdown = ["# Getting started", "", "- first step", "- second step!", "1. numbered", "- [x] done task"].join(
      "\n",
    );
    expect(speakableText(markdown)).toBe("Getting started.\nfirst step.\nsecond step!\nnumbered.\ndone task.");
  });

  it("reads table rows as comma-separated cells and skips the divider", () => {
    const markdown = ["| Name | Price |", "| --- | ---: |", "| Tea | 2 |"].join("\n");
    expect(speakableText(markdown)).toBe("Name, Price.\nTea, 2.");
  });

  it("drops quotes' marks, rules, HTML tags, footnote marks and link definitions", () => {
    const markdown = ["> quoted <b>words</b>[^1]", "", "---", "[ref]: https://example.com", "&amp; more"].join("\n");
    expect(speakableText(markdown)).toBe("quoted words\n& more");
  });

  it("joins the lines of one paragraph and keeps paragraphs apart", () => {
    expect(speakableText("one\ntwo\r\n\r\nthree")).toBe("one two\nthree");
  });

  it("leaves nothing to say for a code-only answer", () => {
    expect(speakableText("```\nonly code\n```")).toBe("");
  });
});

describe("characterCount", () => {
  it("counts what a reader sees: an emoji or an accented letter is one character", () => {
    expect(characterCount("héllo 👋")).toBe(7);
  });
});

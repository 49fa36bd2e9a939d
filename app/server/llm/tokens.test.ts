import { describe, expect, it } from "vitest";
import { estimatePromptTokens, IMAGE_TOKEN_BOUND, promptTokenBound, utf8Bytes } from "./tokens";

// A byte-level tokenizer's worst case is one token per UTF-8 byte of the text, plus the chat
// framing (a handful of tokens per message). The hold is sized on the bound, so the bound must
// reach that worst case for text of any kind, where the ~4-bytes-a-token estimate does not.
const worstCase = (texts: string[]) => texts.reduce((sum, text) => sum + utf8Bytes(text) + 8, 0);

const UNUSUAL: Array<[string, string]> = [
  ["punctuation", "!?.,;:'\"()[]{}<>/\\|`~@#$%^&*-_=+".repeat(40)],
  ["CJK", "漢字仮名交じり文。日本語の文章を書きます。中文文本。한국어 문장입니다.".repeat(20)],
  ["emoji", "😀🎉👩‍👩‍👧‍👦🏳️‍🌈🇯🇵".repeat(30)],
  ["combining marks", "é".normalize("NFD").repeat(200) + "\u0301".repeat(200)],
  ["mixed scripts", "Ωμέγα مرحبا שלום नमस्ते ไทย ✓✗→".repeat(25)],
];

describe("the prompt's token bound (what the hold is sized on)", () => {
  it.each(UNUSUAL)("covers a byte-level tokenizer's worst case for %s", (_, text) => {
    const messages = [
      { role: "system", content: text.slice(0, 50) },
      { role: "user", content: text },
    ];
    const bound = promptTokenBound(messages);
    expect(bound).toBeGreaterThanOrEqual(worstCase(messages.map((m) => m.content)));
    // The estimate is well below the worst case for these texts: holding on it would let the
    // provider bill more than was held.
    expect(estimatePromptTokens(messages)).toBeLessThan(worstCase(messages.map((m) => m.content)));
  });

  it("counts text in OpenAI-style parts, each image at IMAGE_TOKEN_BOUND, and the tools sent", () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }];
    const parts = [
      { type: "text", text: "描述这张图片 🖼️" },
      { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
      { type: "image_url", image_url: { url: "https://example.com/b.png" } },
    ];
    const bound = promptTokenBound([{ content: parts }], tools);
    expect(bound).toBeGreaterThanOrEqual(
      utf8Bytes("描述这张图片 🖼️") + 2 * IMAGE_TOKEN_BOUND + utf8Bytes(JSON.stringify(tools)),
    );
  });

  it("is never below the estimate, even for an empty prompt", () => {
    for (const content of ["", "a", "hello world", ...UNUSUAL.map(([, text]) => text)]) {
      const messages = [{ role: "user", content }];
      expect(promptTokenBound(messages)).toBeGreaterThanOrEqual(estimatePromptTokens(messages));
    }
  });
});

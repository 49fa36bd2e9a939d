import { describe, expect, it } from "vitest";
import { createSseParser, formatSse, readSse, type SseMessage } from "./sse";

/** Parses `text` fed in the given chunks. */
function parse(...chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createSseParser((message) => out.push(message));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return out;
}

/** Every way of cutting `text` in two, so no line ending depends on where a chunk ends. */
function everySplit(text: string): SseMessage[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => parse(text.slice(0, i), text.slice(i)));
}

const TWO_EVENTS = [
  { event: "meta", data: '{"a":1}' },
  { event: "token", data: "hello" },
];

describe("the SSE reader", () => {
  it.each([
    ["LF", 'event: meta\ndata: {"a":1}\n\nevent: token\ndata: hello\n\n'],
    ["CRLF", 'event: meta\r\ndata: {"a":1}\r\n\r\nevent: token\r\ndata: hello\r\n\r\n'],
    ["a lone CR", 'event: meta\rdata: {"a":1}\r\revent: token\rdata: hello\r\r'],
    ["mixed endings", 'event: meta\r\ndata: {"a":1}\n\revent: token\rdata: hello\r\n\n'],
  ])("reads events whose lines end with %s, wherever the chunks are cut", (_name, text) => {
    for (const events of everySplit(text)) expect(events).toEqual(TWO_EVENTS);
  });

  it("does not take a CRLF split across chunks for two line ends", () => {
    expect(parse("data: a\r", "\ndata: b\r", "\n\r", "\n")).toEqual([{ event: "message", data: "a\nb" }]);
    expect(parse("data: a\r", "\n", "\n")).toEqual([{ event: "message", data: "a" }]);
  });

  it("skips a byte-order mark at the start, and only there", () => {
    expect(parse("\uFEFFdata: x\n\n")).toEqual([{ event: "message", data: "x" }]);
    expect(parse("", "\uFEFFdata: x\n\n")).toEqual([{ event: "message", data: "x" }]);
    expect(parse("data: x\n\n\uFEFFdata: y\n\n")).toEqual([{ event: "message", data: "x" }]);
  });

  it("joins multi-line data with newlines and keeps empty data lines", () => {
    expect(parse("data: one\ndata:two\ndata\ndata:  three\n\n")).toEqual([
      { event: "message", data: "one\ntwo\n\n three" },
    ]);
  });

  it("ignores comments, unknown fields and events without data", () => {
    expect(parse(": keep-alive\n\nid: 7\nretry: 10\nevent: ping\n\nfoo: bar\ndata: x\n\n")).toEqual([
      { event: "message", data: "x" },
    ]);
  });

  it("resets the event name after each event", () => {
    expect(parse("event: done\ndata: 1\n\ndata: 2\n\n")).toEqual([
      { event: "done", data: "1" },
      { event: "message", data: "2" },
    ]);
  });

  it("delivers an event the stream ended without its blank line", () => {
    expect(parse("data: [DONE]")).toEqual([{ event: "message", data: "[DONE]" }]);
    expect(parse("data: [DONE]\n")).toEqual([{ event: "message", data: "[DONE]" }]);
  });

  it("reads a byte stream, including characters split across chunks", async () => {
    const bytes = new TextEncoder().encode("event: token\r\ndata: ünïcødé ✓\r\n\r\n");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events: SseMessage[] = [];
    for await (const event of readSse(body)) events.push(event);
    expect(events).toEqual([{ event: "token", data: "ünïcødé ✓" }]);
  });

  it("reads back what the writer writes, multi-line data included", () => {
    expect(parse(formatSse("done", '{"x":1}') + formatSse("note", "a\nb\r\nc"))).toEqual([
      { event: "done", data: '{"x":1}' },
      { event: "note", data: "a\nb\nc" },
    ]);
  });
});

// Attached files reach the model: the Worker reads the caller's own uploads from R2 by key, puts
// them into the prompt (text as text, images as image parts, other documents converted or named),
// and the hold and the bill count them.
import { describe, expect, it } from "vitest";
import { ATTACHMENT_BYTE_BUDGET } from "../../app/server/attachments/read";
import { call, callWith, expectEnvelope, grant, onBehalfOf, readEvents, uniqueEmail } from "./helpers";

// The smallest valid PNG (1×1, transparent).
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

async function account(credits = 10) {
  const email = uniqueEmail("attacher");
  await grant(email, credits);
  return { email, headers: onBehalfOf(email) };
}

async function upload(headers: Record<string, string>, filename: string, body: BodyInit, type: string) {
  const response = await call(`/api/upload/direct?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    headers: { ...headers, "Content-Type": type },
    body,
  });
  expect(response.status).toBe(201);
  return (await response.json<{ key: string }>()).key;
}

function ask(headers: Record<string, string>, keys: string[], question = "What does the file say?", stream = false) {
  return call("/api/si/ask", {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({
      messages: [
        { role: "user", content: "I attached a file.", attachments: keys.map((key) => ({ key })) },
        { role: "user", content: question },
      ],
      ...(stream ? { stream: true } : {}),
    }),
  });
}

interface Answered {
  text: string;
  tokens_in: number;
  credits_used: number;
  attachments: Array<{ name: string; shared: string; truncated?: boolean; reason?: string }>;
}

describe("attachments on POST /api/si/ask", () => {
  it("gives a text file's content to the model, and bills it as input", async () => {
    const { headers } = await account();
    const notes = "Meeting notes: ship on Friday\nSecond line\n".repeat(20);
    const key = await upload(headers, "notes.txt", notes, "text/plain");
    const withFile = await ask(headers, [key]);
    expect(withFile.status).toBe(200);
    const answered = await withFile.json<Answered>();
    expect(answered.text).toContain('Attachment notes.txt begins: "Meeting notes: ship on Friday"');
    expect(answered.attachments).toEqual([expect.objectContaining({ name: "notes.txt", shared: "content" })]);

    const without = await (
      await call("/api/si/ask", {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({
          messages: [
            { role: "user", content: "I attached a file." },
            { role: "user", content: "What does the file say?" },
          ],
        }),
      })
    ).json<Answered>();
    // The file's words were counted in the prompt the provider billed (about 200 more tokens).
    expect(answered.tokens_in - without.tokens_in).toBeGreaterThan(150);
    expect(answered.credits_used).toBeGreaterThan(without.credits_used);
  });

  it("reads source code and JSON sent as application/octet-stream by their extension", async () => {
    const { headers } = await account();
    const key = await upload(
      headers,
      "main.ts",
      'export const answer = 42;\nconsole.log("hi");\n',
      "application/octet-stream",
    );
    const answered = await (await ask(headers, [key])).json<Answered>();
    expect(answered.text).toContain('Attachment main.ts begins: "export const answer = 42;"');
    expect(answered.attachments[0]?.shared).toBe("content");
  });

  it("cuts a long file at the token budget and says so", async () => {
    const { headers } = await account(100);
    const line = "0123456789abcdefghijklmnopqrstuvwxyz ééé\n";
    const key = await upload(
      headers,
      "long.csv",
      line.repeat(Math.ceil((ATTACHMENT_BYTE_BUDGET * 3) / line.length)),
      "text/csv",
    );
    const answered = await (await ask(headers, [key])).json<Answered>();
    expect(answered.attachments[0]).toMatchObject({ shared: "content", truncated: true });
    // What the model was billed for stays within the budget (the dev model counts words).
    expect(answered.tokens_in).toBeLessThan(ATTACHMENT_BYTE_BUDGET / 4);
  });

  it("sends an image to a vision model as an image part", async () => {
    const { headers } = await account();
    const key = await upload(headers, "dot.png", PNG, "image/png");
    const answered = await (await ask(headers, [key], "What is in the picture?")).json<Answered>();
    expect(answered.text).toContain(`An image came (image/png, ${PNG.byteLength} bytes)`);
    expect(answered.attachments[0]?.shared).toBe("image");
  });

  it("shares an image by name when the model it goes to cannot see images", async () => {
    const { headers } = await account();
    const key = await upload(headers, "dot.png", PNG, "image/png");
    const response = await callWith({ OPENAI_MODEL: "llama-3.1-8b-instant" }, "/api/si/ask", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "Look at this", attachments: [{ key }] }],
      }),
    });
    expect(response.status).toBe(200);
    const answered = await response.json<Answered>();
    expect(answered.attachments[0]).toMatchObject({ shared: "name", reason: "the model here cannot see images" });
    expect(answered.text).toContain("Attachment dot.png: only its name came");
    expect(answered.text).not.toContain("An image came");
  });

  it("shares only the name of a document that cannot be converted here, and says so", async () => {
    const { headers } = await account();
    const key = await upload(headers, "report.pdf", new Uint8Array([37, 80, 68, 70, 0, 1, 2, 3]), "application/pdf");
    const response = await ask(headers, [key], "Summarise the report", true);
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    const meta = events.find((event) => event.event === "meta")?.data as { attachments?: Answered["attachments"] };
    expect(meta.attachments?.[0]).toMatchObject({ name: "report.pdf", shared: "name" });
    expect(meta.attachments?.[0]?.reason).toMatch(/conversion is not available/);
    const text = events
      .filter((event) => event.event === "token")
      .map((event) => (event.data as { text: string }).text)
      .join("");
    expect(text).toContain("Attachment report.pdf: only its name came");
  });

  it("never reads another account's upload (404); an own upload deleted since is shared by name", async () => {
    const owner = await account();
    const key = await upload(owner.headers, "secret.txt", "owner's secret\n", "text/plain");
    const intruder = await account();
    await expectEnvelope(await ask(intruder.headers, [key]), 404, "attachment_not_found");
    const missing = key.replace(/\/[^/]+$/, "/0000000000000000-nothing.txt");
    const gone = await (await ask(owner.headers, [missing])).json<Answered>();
    expect(gone.attachments[0]).toMatchObject({
      name: "nothing.txt",
      shared: "name",
      reason: "the file is no longer among your uploads",
    });
    await expectEnvelope(await ask(intruder.headers, ["uploads/../secret.txt"]), 404, "attachment_not_found");
  });

  it("refuses attachments on assistant messages and in jobs, with a 400", async () => {
    const { headers } = await account();
    const key = await upload(headers, "a.txt", "hello\n", "text/plain");
    const onAssistant = await call("/api/si/ask", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({
        messages: [
          { role: "assistant", content: "x", attachments: [{ key }] },
          { role: "user", content: "hi" },
        ],
      }),
    });
    await expectEnvelope(onAssistant, 400, "invalid_request");
    const job = await call("/api/jobs", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({
        type: "si",
        input: { messages: [{ role: "user", content: "hi", attachments: [{ key }] }] },
      }),
    });
    await expectEnvelope(job, 400, "invalid_request");
  });
});

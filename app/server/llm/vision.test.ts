import { describe, expect, it } from "vitest";
import { attachmentKind } from "~/shared/attachment-kind";
import { canSeeImages } from "./vision";

describe("which models see images", () => {
  it("knows the vision families and refuses text-only models", () => {
    for (const model of ["gpt-4o-mini", "gpt-4.1", "gpt-5-mini", "o3", "@cf/meta/llama-3.2-11b-vision-instruct"]) {
      expect(canSeeImages(model), model).toBe(true);
    }
    for (const model of ["llama-3.1-8b-instant", "@cf/meta/llama-3.1-8b-instruct", "gpt-3.5-turbo", "local-echo"]) {
      expect(canSeeImages(model), model).toBe(false);
    }
  });
});

describe("what kind of attachment a file is", () => {
  it("reads source and data files as text by their extension when the type says nothing", () => {
    expect(attachmentKind("main.ts", "application/octet-stream")).toBe("text");
    expect(attachmentKind("data.json", "")).toBe("text");
    expect(attachmentKind("notes", "text/plain; charset=utf-8")).toBe("text");
    expect(attachmentKind("photo.JPG", "image/jpeg")).toBe("image");
    expect(attachmentKind("report.pdf", "application/pdf")).toBe("document");
    expect(attachmentKind("drawing.svg", "image/svg+xml")).toBe("text");
  });
});

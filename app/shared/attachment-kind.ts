// What an attached file is, for the model: text it can read as is, an image, or a document that
// needs converting. Browsers often send source files as "" or application/octet-stream, so the
// extension counts as much as the declared type. Shared: the Worker decides with it, the chat
// uses it to show what a file will cost before it is sent.

/** Estimated tokens (4 bytes each) that an ask's attachments may add to its prompt, in all. */
export const ATTACHMENT_TOKEN_BUDGET = 8_000;
export const ATTACHMENT_BYTE_BUDGET = ATTACHMENT_TOKEN_BUDGET * 4;

export type AttachmentKind = "text" | "image" | "document";

const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|ecmascript|typescript|x-yaml|yaml|toml|x-toml|sql|x-sh|x-shellscript|x-python|x-httpd-php|graphql|ld\+json|x-ndjson|csv))/i;

const TEXT_EXTENSIONS = new Set(
  (
    "txt text md markdown mdx rst adoc org csv tsv json jsonl ndjson yaml yml toml ini cfg conf env log xml " +
    "html htm css scss less svg js mjs cjs jsx ts tsx mts cts py rb go rs java kt kts scala c h cc cpp cxx hpp " +
    "cs fs swift m mm php pl lua r jl dart ex exs erl hs ml clj sql sh bash zsh fish ps1 bat vue svelte " +
    "graphql gql proto tf hcl dockerfile makefile gradle properties diff patch tex bib"
  ).split(" "),
);

/** Image types the vision models accept as image parts. */
export const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? name.toLowerCase() : name.slice(dot + 1).toLowerCase();
}

export function attachmentKind(name: string, contentType: string): AttachmentKind {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (IMAGE_TYPES.has(type)) return "image";
  if (TEXT_TYPES.test(type) || TEXT_EXTENSIONS.has(extensionOf(name))) return "text";
  return "document";
}

/** A NUL byte in the opening bytes: a binary file whatever its name says. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 4096).includes(0);
}

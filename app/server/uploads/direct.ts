// POST /api/upload/direct?filename=…: the body streams straight into R2 (never held whole in
// memory), under a key in the account's own folder — counted against the account's upload
// quota before a byte of it is read.
import type { Identity } from "../auth/identity";
import type { RequestScope } from "../context";
import { ApiError, badRequest } from "../http/errors";
import { errorDetail, log } from "../log";
import { quotaOf, uploadQuotaExceeded } from "../quotas/client";
import { MAX_FILENAME_INPUT, sanitizeFilename } from "./filename";
import { newUploadKey } from "./keys";

const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;\s*[a-z0-9_-]+=(?:[a-z0-9_.+-]+|"[^"\r\n]*"))*$/i;

function declaredLength(request: Request, max: number): number {
  const header = request.headers.get("Content-Length");
  if (header === null) throw new ApiError(411, "length_required", "Send a Content-Length header with the upload.");
  if (!/^\d{1,16}$/.test(header.trim())) throw badRequest("Content-Length must be a whole number of bytes.");
  const length = Number(header);
  if (length > max) {
    throw new ApiError(413, "payload_too_large", `Uploads are limited to ${max} bytes.`, { limit: max });
  }
  if (length === 0) throw badRequest("The upload is empty.");
  return length;
}

export async function directUpload(request: Request, url: URL, scope: RequestScope, identity: Identity) {
  const { config, env } = scope;
  const raw = url.searchParams.get("filename");
  if (raw === null || !raw.trim()) throw badRequest("filename: add ?filename=<name> to the URL.");
  if (raw.length > MAX_FILENAME_INPUT) throw badRequest(`filename: at most ${MAX_FILENAME_INPUT} characters.`);
  // Checked before a single byte of the body is read.
  const length = declaredLength(request, config.maxUploadBytes);
  const contentType = (request.headers.get("Content-Type") ?? "").trim() || "application/octet-stream";
  if (!CONTENT_TYPE.test(contentType) || contentType.length > 200)
    throw badRequest("Content-Type is not a valid media type.");
  if (!request.body) throw badRequest("The upload is empty.");

  const name = sanitizeFilename(raw);
  const key = newUploadKey(identity.account, name);
  const quota = quotaOf(env.QUOTAS, identity.account);
  const admission = await quota.admitUpload(identity.account, key, length, config.uploadQuota);
  if (!admission.ok) throw uploadQuotaExceeded(admission.usage, config.uploadQuota, length);

  // A fixed-length stream lets R2 take the body as it arrives, and fails if it is not exactly
  // the declared size.
  const body = request.body.pipeThrough(new FixedLengthStream(length));
  let object: R2Object;
  try {
    object = await env.R2_UPLOADS.put(key, body, {
      httpMetadata: { contentType },
      customMetadata: { account: identity.account, filename: name, request_id: scope.requestId },
    });
  } catch {
    await quota.uploadGone(key);
    throw badRequest("The body did not match its Content-Length, or the upload was interrupted.");
  }
  // If this report is lost, the quota object looks the key up in R2 itself later.
  await quota.uploadStored(key, object.size).catch((error: unknown) => {
    log("error", scope.requestId, "upload quota report failed", { key, error: errorDetail(error) });
  });
  return {
    ok: true as const,
    key: object.key,
    filename: name,
    size: object.size,
    content_type: contentType,
    etag: object.etag,
    uploaded_at: object.uploaded.toISOString(),
  };
}

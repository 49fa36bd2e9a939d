// DELETE /api/uploads/:key: the owner deletes one of their uploads, which frees its quota.
import type { Config } from "../config";
import { notFound } from "../http/errors";
import { type QuotaNamespace, quotaOf, uploadQuotaBody } from "../quotas/client";
import { ownsKey } from "./keys";

/**
 * The key as the path carried it: clients send it URL-encoded (its slashes as %2F), and the API's
 * router keeps a segment with an encoded slash as it was sent.
 */
export function keyFromPath(param: string): string | null {
  try {
    return decodeURIComponent(param);
  } catch {
    return null;
  }
}

export async function deleteUpload(
  bindings: { bucket: R2Bucket; quotas: QuotaNamespace },
  config: Config,
  account: string,
  param: string,
) {
  const key = keyFromPath(param);
  // Someone else's upload is not found, not forbidden (as with jobs).
  if (!key || !ownsKey(account, key)) throw notFound("No such upload.");
  const object = await bindings.bucket.head(key);
  if (!object || object.customMetadata?.account !== account) throw notFound("No such upload.");
  await bindings.bucket.delete(key);
  const quota = quotaOf(bindings.quotas, account);
  await quota.uploadGone(key);
  return {
    ok: true as const,
    deleted: { key, size: object.size },
    quota: uploadQuotaBody(await quota.uploadUsage(account), config.uploadQuota),
  };
}

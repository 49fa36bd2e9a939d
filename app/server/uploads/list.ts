// GET /api/uploads: the caller's own uploads, and what they take up of the account's quota.
import { z } from "zod";
import type { Config } from "../config";
import { type QuotaNamespace, quotaOf, uploadQuotaBody } from "../quotas/client";
import { uploadPrefix } from "./keys";

export const uploadListSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(2048).optional(),
});

export type UploadListQuery = z.output<typeof uploadListSchema>;

export async function listUploads(
  bindings: { bucket: R2Bucket; quotas: QuotaNamespace },
  config: Config,
  account: string,
  query: UploadListQuery,
) {
  const [page, usage] = await Promise.all([
    bindings.bucket.list({
      prefix: uploadPrefix(account),
      limit: query.limit,
      cursor: query.cursor,
      include: ["customMetadata", "httpMetadata"],
    }),
    quotaOf(bindings.quotas, account).uploadUsage(account),
  ]);
  const uploads = page.objects
    // Files another account left here under the old, lossy folder names are not this one's.
    .filter((object) => object.customMetadata?.account === account)
    .map((object) => ({
      name: object.customMetadata?.filename ?? object.key.split("/").pop() ?? object.key,
      key: object.key,
      size: object.size,
      content_type: object.httpMetadata?.contentType ?? null,
      uploaded_at: object.uploaded.toISOString(),
    }))
    .sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
  return {
    ok: true as const,
    uploads,
    cursor: page.truncated ? page.cursor : null,
    quota: uploadQuotaBody(usage, config.uploadQuota),
  };
}

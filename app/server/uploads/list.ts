// GET /api/uploads: the caller's own uploads.
import { z } from "zod";
import { uploadPrefix } from "./direct";

export const uploadListSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(2048).optional(),
});

export type UploadListQuery = z.output<typeof uploadListSchema>;

export async function listUploads(bucket: R2Bucket, account: string, query: UploadListQuery) {
  const page = await bucket.list({
    prefix: uploadPrefix(account),
    limit: query.limit,
    cursor: query.cursor,
    include: ["customMetadata", "httpMetadata"],
  });
  const uploads = page.objects
    .map((object) => ({
      name: object.customMetadata?.filename ?? object.key.split("/").pop() ?? object.key,
      key: object.key,
      size: object.size,
      content_type: object.httpMetadata?.contentType ?? null,
      uploaded_at: object.uploaded.toISOString(),
    }))
    .sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
  return { ok: true as const, uploads, cursor: page.truncated ? page.cursor : null };
}

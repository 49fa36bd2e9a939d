// The account quota object's client, and how quotas look to API callers.
import { ApiError } from "../http/errors";
import type { AccountQuota, UploadUsage } from "./account-quota";

export type QuotaNamespace = DurableObjectNamespace<AccountQuota>;

export function quotaOf(namespace: QuotaNamespace, account: string) {
  return namespace.get(namespace.idFromName(`quota:${account}`));
}

/** GET /api/uploads's `quota`: used, remaining and the limit, in bytes and in files. */
export function uploadQuotaBody(usage: UploadUsage, limits: UploadUsage) {
  return {
    used_bytes: usage.bytes,
    remaining_bytes: Math.max(0, limits.bytes - usage.bytes),
    limit_bytes: limits.bytes,
    used_files: usage.files,
    remaining_files: Math.max(0, limits.files - usage.files),
    limit_files: limits.files,
  };
}

export function uploadQuotaExceeded(usage: UploadUsage, limits: UploadUsage, size: number): ApiError {
  const full = usage.files + 1 > limits.files;
  return new ApiError(
    413,
    "quota_exceeded",
    full
      ? `This account already stores ${usage.files} of its ${limits.files} files; delete some to upload more.`
      : `This upload (${size} bytes) does not fit: ${Math.max(0, limits.bytes - usage.bytes)} of ${limits.bytes} bytes are left.`,
    { size, ...uploadQuotaBody(usage, limits) },
  );
}

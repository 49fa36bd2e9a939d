// Direct uploads with real progress: XMLHttpRequest reports bytes sent, fetch does not.
import { identityHeaders, networkProblem, type Problem, problemFrom } from "./api";

export interface Upload {
  key: string;
  filename: string;
  size: number;
  content_type: string;
  uploaded_at: string;
}

export interface UploadListing {
  name: string;
  key: string;
  size: number;
  content_type: string | null;
  uploaded_at: string;
}

export type UploadResult = { ok: true; upload: Upload } | { ok: false; problem: Problem };

export function uploadFile(
  file: File,
  email: string | null,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/upload/direct?filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    for (const [name, value] of Object.entries(identityHeaders(email))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = async () => {
      // The response is re-read through Response so success and envelopes parse one way.
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { "Content-Type": "application/json", "Retry-After": xhr.getResponseHeader("Retry-After") ?? "" },
      });
      if (xhr.status === 201) resolve({ ok: true, upload: (await response.json()) as Upload });
      else resolve({ ok: false, problem: await problemFrom(response) });
    };
    xhr.onerror = () => resolve({ ok: false, problem: networkProblem() });
    xhr.onabort = () => resolve({ ok: false, problem: { status: 0, code: "cancelled", message: "Upload cancelled." } });
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

export async function listUploads(email: string | null): Promise<UploadListing[] | Problem> {
  try {
    const response = await fetch("/api/uploads?limit=50", { headers: identityHeaders(email) });
    if (!response.ok) return problemFrom(response);
    return ((await response.json()) as { uploads: UploadListing[] }).uploads;
  } catch {
    return networkProblem();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// The visitor's uploads, read from GET /api/uploads when the list is opened or a file arrives.
import { useEffect, useState } from "react";
import type { Problem } from "~/client/api";
import { formatBytes, listUploads, type UploadListing } from "~/client/upload";

export function UploadsList({ email, version }: { email: string | null; version: number }) {
  const [open, setOpen] = useState(false);
  const [uploads, setUploads] = useState<UploadListing[] | Problem | null>(null);

  // `version` changes when a file is uploaded: the list is read again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the refresh trigger
  useEffect(() => {
    if (!open) return;
    let current = true;
    listUploads(email).then((result) => current && setUploads(result));
    return () => {
      current = false;
    };
  }, [open, email, version]);

  return (
    <details className="group" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="btn-quiet w-full cursor-pointer justify-start">Your uploads</summary>
      <div className="px-2 py-1 text-sm" aria-live="polite">
        {uploads === null ? (
          <p className="muted">Loading…</p>
        ) : !Array.isArray(uploads) ? (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {uploads.message}
          </p>
        ) : uploads.length === 0 ? (
          <p className="muted">No uploads yet. Use “Attach file” below the message box.</p>
        ) : (
          <ul className="flex flex-col gap-1" data-testid="uploads-list">
            {uploads.map((upload) => (
              <li key={upload.key} className="flex justify-between gap-2">
                <span className="truncate" title={upload.key}>
                  {upload.name}
                </span>
                <span className="muted shrink-0">{formatBytes(upload.size)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}

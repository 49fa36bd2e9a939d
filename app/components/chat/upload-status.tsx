// The upload in progress (a real progress bar), or why a file was refused.
import type { UploadState } from "~/client/use-uploader";

export function UploadStatus({ state, onDismiss }: { state: UploadState; onDismiss(): void }) {
  if (state.kind === "idle") return null;
  if (state.kind === "uploading") {
    const percent = Math.round(state.fraction * 100);
    return (
      <div className="flex items-center gap-3 text-sm" data-testid="upload-progress">
        <label htmlFor="upload-progress" className="truncate">
          Uploading {state.name}… {percent}%
        </label>
        <progress id="upload-progress" className="h-2 flex-1 accent-indigo-600" max={100} value={percent} />
      </div>
    );
  }
  const message =
    state.kind === "refused"
      ? state.message
      : state.kind === "failed"
        ? `${state.name} was not uploaded: ${state.problem.message}`
        : `${state.name} is uploaded and attached to this chat.`;
  return (
    <div
      role={state.kind === "done" ? "status" : "alert"}
      className={`flex items-start justify-between gap-2 rounded-md px-3 py-2 text-sm ${
        state.kind === "done"
          ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
          : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"
      }`}
      data-testid={`upload-${state.kind}`}
    >
      <span>{message}</span>
      <button type="button" className="btn-quiet px-2 py-0.5 text-xs" onClick={onDismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}

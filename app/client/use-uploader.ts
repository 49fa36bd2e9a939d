// One upload at a time: checked against the size limit before a byte is sent, then sent with
// progress; a finished upload is handed to `onUploaded`.
import { useState } from "react";
import type { Problem } from "./api";
import { formatBytes, type Upload, uploadFile } from "./upload";

export type UploadState =
  | { kind: "idle" }
  | { kind: "uploading"; name: string; fraction: number }
  | { kind: "refused"; message: string }
  | { kind: "failed"; name: string; problem: Problem }
  | { kind: "done"; name: string };

export function useUploader(email: string | null, maxBytes: number, onUploaded: (upload: Upload) => void) {
  const [state, setState] = useState<UploadState>({ kind: "idle" });

  const choose = async (file: File) => {
    if (state.kind === "uploading") return;
    if (file.size > maxBytes) {
      // Exact bytes when the rounded sizes would read the same.
      let [size, limit] = [formatBytes(file.size), formatBytes(maxBytes)];
      if (size === limit) [size, limit] = [`${file.size} bytes`, `${maxBytes} bytes`];
      setState({
        kind: "refused",
        message: `${file.name} is ${size}; uploads are limited to ${limit}. Choose a smaller file.`,
      });
      return;
    }
    if (file.size === 0) {
      setState({ kind: "refused", message: `${file.name} is empty; there is nothing to upload.` });
      return;
    }
    setState({ kind: "uploading", name: file.name, fraction: 0 });
    const result = await uploadFile(file, email, (fraction) =>
      setState({ kind: "uploading", name: file.name, fraction }),
    );
    if (result.ok) {
      setState({ kind: "done", name: result.upload.filename });
      onUploaded(result.upload);
    } else setState({ kind: "failed", name: file.name, problem: result.problem });
  };

  return { state, choose, dismiss: () => setState({ kind: "idle" }) };
}

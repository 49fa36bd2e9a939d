// Reading an answer aloud in the browser: POST /api/tts, played through one <audio> element per
// answer. Where the browser can (Media Source Extensions with audio/mpeg), playback starts while
// the audio is still arriving; elsewhere it starts once the clip has arrived. The finished clip is
// kept, so playing it again costs nothing. Only one answer speaks at a time: starting one stops
// the other.
import { identityHeaders, networkProblem, type Problem, ProblemError, problemFrom } from "./api";

export type ReaderState = "idle" | "loading" | "playing" | "paused";

export interface SpeechBill {
  creditsUsed: number;
  provider: string;
  /** Absent for guests. */
  balance?: number;
}

export interface ReaderEvents {
  state(state: ReaderState): void;
  /** The reading was paid for and has started playing. */
  billed(bill: SpeechBill): void;
  problem(problem: Problem): void;
}

export interface Reader {
  play(text: string, email: string | null): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** The answer is gone: stop and let go of the kept clip. */
  dispose(): void;
}

let speaking: Reader | null = null;

const MP3 = "audio/mpeg";

function billOf(response: Response): SpeechBill {
  const balance = response.headers.get("X-Credits-Balance");
  return {
    creditsUsed: Number(response.headers.get("X-Credits-Used") ?? 0),
    provider: response.headers.get("X-Provider") ?? "",
    ...(balance === null ? {} : { balance: Number(balance) }),
  };
}

function appended(buffer: SourceBuffer, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    buffer.addEventListener("updateend", () => resolve(), { once: true });
    buffer.addEventListener("error", () => reject(new Error("the audio could not be decoded")), { once: true });
    buffer.appendBuffer(chunk as Uint8Array<ArrayBuffer>);
  });
}

export function createReader(audio: HTMLAudioElement, events: ReaderEvents): Reader {
  let kept: string | null = null;
  let streamUrl: string | null = null;
  let loading: AbortController | null = null;
  let pendingBill: SpeechBill | null = null;

  const release = () => {
    if (streamUrl) URL.revokeObjectURL(streamUrl);
    streamUrl = null;
  };
  const onPlaying = () => {
    events.state("playing");
    if (pendingBill) events.billed(pendingBill);
    pendingBill = null;
  };
  const onPause = () => !audio.ended && speaking === reader && events.state("paused");
  const onEnded = () => {
    if (speaking === reader) speaking = null;
    events.state("idle");
  };
  audio.addEventListener("playing", onPlaying);
  audio.addEventListener("pause", onPause);
  audio.addEventListener("ended", onEnded);

  /** Starts playback; a refusal (no user gesture, say) ends the reading quietly. */
  const start = () => audio.play().catch(() => speaking === reader && reader.stop());

  async function fetchSpeech(text: string, email: string | null, signal: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await fetch("/api/tts", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...identityHeaders(email) },
        body: JSON.stringify({ text, format: "mp3" }),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ProblemError(networkProblem());
    }
    if (!response.ok || !response.body) throw new ProblemError(await problemFrom(response));
    pendingBill = billOf(response);
    return response;
  }

  /** Plays while the audio arrives; resolves with the whole clip once it has. */
  async function streamed(text: string, email: string | null, signal: AbortSignal): Promise<Blob> {
    const source = new MediaSource();
    streamUrl = URL.createObjectURL(source);
    audio.src = streamUrl;
    void start();
    await new Promise((resolve) => source.addEventListener("sourceopen", resolve, { once: true }));
    const response = await fetchSpeech(text, email, signal);
    const buffer = source.addSourceBuffer(MP3);
    const chunks: Uint8Array[] = [];
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(next.value);
      await appended(buffer, next.value);
    }
    if (source.readyState === "open") source.endOfStream();
    return new Blob(chunks as BlobPart[], { type: MP3 });
  }

  async function whole(text: string, email: string | null, signal: AbortSignal): Promise<Blob> {
    const blob = await (await fetchSpeech(text, email, signal)).blob();
    kept = URL.createObjectURL(blob);
    audio.src = kept;
    void start();
    return blob;
  }

  const reader: Reader = {
    play(text, email) {
      if (speaking && speaking !== reader) speaking.stop();
      speaking = reader;
      if (kept) {
        audio.src = kept;
        void start();
        return;
      }
      const controller = new AbortController();
      loading = controller;
      events.state("loading");
      const load = typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(MP3) ? streamed : whole;
      load(text, email, controller.signal)
        .then((blob) => {
          // Kept for replays; the stream's URL stays in use until this playback ends.
          kept ??= URL.createObjectURL(blob);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          reader.stop();
          events.problem(
            error instanceof ProblemError
              ? error.problem
              : { status: 0, code: "audio_failed", message: "The audio could not be played." },
          );
        })
        .finally(() => {
          if (loading === controller) loading = null;
        });
    },
    pause: () => audio.pause(),
    resume: () => void start(),
    stop() {
      loading?.abort();
      loading = null;
      pendingBill = null;
      audio.pause();
      audio.removeAttribute("src");
      audio.load();
      release();
      if (speaking === reader) speaking = null;
      events.state("idle");
    },
    dispose() {
      reader.stop();
      audio.removeEventListener("playing", onPlaying);
      audio.removeEventListener("pause", onPause);
      audio.removeEventListener("ended", onEnded);
      if (kept) URL.revokeObjectURL(kept);
      kept = null;
    },
  };
  return reader;
}

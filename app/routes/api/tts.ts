// POST /api/tts (+ /api/si/tts): text read aloud, streamed back as audio, billed.
import { endpoint } from "~/server/http/endpoint";
import { serveSpeech } from "~/server/tts/serve";

export default endpoint({ POST: ({ request, url, scope }) => serveSpeech(request, url, scope) });

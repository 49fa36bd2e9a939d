// Short, valid audio clips built in code, for the Cartesia stand-in (dev/cartesia.ts): a WAV
// holding a clean sine tone, and an MP3 holding a steady tone. No encoder library is needed: the
// MP3 is written bit by bit as MPEG-1 Layer III frames whose only non-zero spectral line is one
// low line, coded with Huffman table 1 — a few bits per granule that any MP3 decoder plays as
// a tone of about (line + ½) × sampleRate / 1152 Hz.

/** A mono PCM WAV file: a sine tone at `hz`, faded in and out over 20 ms so it does not click. */
export function wavTone(seconds: number, sampleRate: number, encoding: "pcm_s16le" | "pcm_f32le", hz = 440) {
  const count = Math.round(seconds * sampleRate);
  const float = encoding === "pcm_f32le";
  const width = float ? 4 : 2;
  const out = new DataView(new ArrayBuffer(44 + count * width));
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) out.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  out.setUint32(4, 36 + count * width, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  out.setUint32(16, 16, true);
  out.setUint16(20, float ? 3 : 1, true); // 1 = integer PCM, 3 = IEEE float
  out.setUint16(22, 1, true); // mono
  out.setUint32(24, sampleRate, true);
  out.setUint32(28, sampleRate * width, true);
  out.setUint16(32, width, true);
  out.setUint16(34, width * 8, true);
  ascii(36, "data");
  out.setUint32(40, count * width, true);
  const fade = Math.max(1, Math.round(0.02 * sampleRate));
  for (let i = 0; i < count; i++) {
    const envelope = Math.min(1, i / fade, (count - 1 - i) / fade);
    const value = 0.25 * envelope * Math.sin((2 * Math.PI * hz * i) / sampleRate);
    if (float) out.setFloat32(44 + i * 4, value, true);
    else out.setInt16(44 + i * 2, Math.round(value * 32767), true);
  }
  return new Uint8Array(out.buffer);
}

/** MPEG-1 Layer III bit rates (kbit/s) by header index, and sample rates by header index. */
const BIT_RATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const SAMPLE_RATES = [44_100, 48_000, 32_000];
export const MP3_SAMPLE_RATES: readonly number[] = SAMPLE_RATES;
export const MP3_BIT_RATES: readonly number[] = BIT_RATES.slice(1).map((kbps) => kbps * 1000);

const SAMPLES_PER_FRAME = 1152;
/** The spectral line that carries the tone (of 576 per granule). */
const TONE_LINE = 10;
/** 210 is unit gain; each step of 4 halves or doubles the tone's amplitude. */
const GLOBAL_GAIN = 200;

/** Writes bit fields into `bytes` from `start`, most significant bit first. */
function bitWriter(bytes: Uint8Array, start: number) {
  let bit = 0;
  return (value: number, width: number) => {
    for (let i = width - 1; i >= 0; i--) {
      if ((value >> i) & 1) {
        const at = start + (bit >> 3);
        bytes[at] = (bytes[at] ?? 0) | (0x80 >> (bit & 7));
      }
      bit++;
    }
  };
}

/**
 * A granule's Huffman data: big_values pairs up to the tone's line, all (0,0) — code `1` in
 * table 1 — except the pair holding the tone, (1,0) — code `01` and a sign bit.
 */
function granuleBits(): { pairs: number; bits: Array<[number, number]> } {
  const pairs = (TONE_LINE >> 1) + 1;
  const bits: Array<[number, number]> = [];
  for (let pair = 0; pair < pairs - 1; pair++) bits.push([0b1, 1]);
  // Table 1 codes (x, y) = (1, 0) as `01`, (0, 1) as `001`; each non-zero value has a sign bit.
  bits.push(TONE_LINE % 2 === 0 ? [0b01, 2] : [0b001, 3]);
  bits.push([0, 1]);
  return { pairs, bits };
}

/** A constant-bit-rate mono MP3 (MPEG-1 Layer III) of about `seconds`, as whole frames. */
export function mp3Tone(seconds: number, sampleRate: number, bitRate: number): Uint8Array[] {
  const rateIndex = SAMPLE_RATES.indexOf(sampleRate);
  const bitRateIndex = BIT_RATES.indexOf(bitRate / 1000);
  if (rateIndex < 0 || bitRateIndex < 1) throw new RangeError("unsupported MPEG-1 Layer III sample or bit rate");
  const granule = granuleBits();
  const granuleLength = granule.bits.reduce((sum, [, width]) => sum + width, 0);
  const slots = 144 * bitRate;
  const frames: Uint8Array[] = [];
  let remainder = 0;
  const count = Math.max(1, Math.ceil((seconds * sampleRate) / SAMPLES_PER_FRAME));
  for (let n = 0; n < count; n++) {
    // 44.1 kHz frames alternate between two lengths: a padding byte keeps the average exact.
    remainder += slots % sampleRate;
    const padding = remainder >= sampleRate ? 1 : 0;
    if (padding) remainder -= sampleRate;
    const frame = new Uint8Array(Math.floor(slots / sampleRate) + padding);
    // Header: sync, MPEG-1, Layer III, no CRC | bit rate, sample rate, padding | mono.
    frame.set([0xff, 0xfb, (bitRateIndex << 4) | (rateIndex << 2) | (padding << 1), 0xc0]);
    const side = bitWriter(frame, 4);
    side(0, 9); // main_data_begin: no bit reservoir
    side(0, 5); // private bits
    side(0, 4); // scfsi
    for (let g = 0; g < 2; g++) {
      side(granuleLength, 12); // part2_3_length (no scale factors: all of it is Huffman data)
      side(granule.pairs, 9); // big_values
      side(GLOBAL_GAIN, 8);
      side(0, 4); // scalefac_compress: no scale factor bits
      side(0, 1); // window_switching_flag: long blocks
      for (let region = 0; region < 3; region++) side(1, 5); // table_select: table 1
      side(0, 4); // region0_count
      side(0, 3); // region1_count
      side(0, 3); // preflag, scalefac_scale, count1table_select
    }
    // Main data follows the 17 bytes of mono side information; the rest of the frame is padding.
    const main = bitWriter(frame, 4 + 17);
    for (let g = 0; g < 2; g++) for (const [value, width] of granule.bits) main(value, width);
    frames.push(frame);
  }
  return frames;
}

// Answer latencies as a histogram that merges across hours and days: bucket b holds latencies
// from 1.1^b to 1.1^(b+1) ms, so a median read from it is within 5 % — without keeping every
// ask's latency.
const RATIO = 1.1;

export function latencyBucket(ms: number): number {
  return Math.floor(Math.log(Math.max(1, ms)) / Math.log(RATIO));
}

/** The middle of bucket `b`, in whole milliseconds. */
export function bucketMs(bucket: number): number {
  return Math.round(RATIO ** (bucket + 0.5));
}

/** The median of a histogram (bucket → count), or null when it is empty. */
export function medianMs(histogram: ReadonlyArray<{ bucket: number; n: number }>): number | null {
  const total = histogram.reduce((sum, entry) => sum + entry.n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const entry of [...histogram].sort((a, b) => a.bucket - b.bucket)) {
    seen += entry.n;
    if (seen * 2 >= total) return bucketMs(entry.bucket);
  }
  return null;
}

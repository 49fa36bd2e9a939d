// Daily credits spent (bars) and tokens (line) over the last 30 days, as plain SVG, with the
// same numbers as a table for screen readers and anyone who wants them exact.

import { ColumnHeaders } from "./column-headers";
import type { DailyTotal } from "./types";

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 48, bottom: 28, left: 48 };

/** A round axis maximum at or above `value`. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

const short = (value: number) =>
  value >= 1000 ? `${Number((value / 1000).toFixed(1))}k` : String(Number(value.toPrecision(3)));

export function SpendChart({ days }: { days: DailyTotal[] }) {
  const creditMax = niceMax(Math.max(...days.map((d) => d.credits)));
  const tokenMax = niceMax(Math.max(...days.map((d) => d.tokens)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, days.length);
  const x = (i: number) => PAD.left + i * slot;
  const yCredits = (v: number) => PAD.top + innerH - (v / creditMax) * innerH;
  const yTokens = (v: number) => PAD.top + innerH - (v / tokenMax) * innerH;
  const line = days
    .map((d, i) => `${i ? "L" : "M"}${(x(i) + slot / 2).toFixed(1)},${yTokens(d.tokens).toFixed(1)}`)
    .join("");
  const totalCredits = Number(days.reduce((sum, d) => sum + d.credits, 0).toFixed(6));
  const totalTokens = days.reduce((sum, d) => sum + d.tokens, 0);
  const first = days[0]?.day ?? "";
  const last = days.at(-1)?.day ?? "";

  return (
    <figure className="card flex flex-col gap-2">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-lg font-semibold">Last 30 days</span>
        <span className="muted text-sm">
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-indigo-500" aria-hidden="true" />
          {totalCredits} credits spent ·{" "}
          <span className="mr-1 inline-block h-0.5 w-3 bg-amber-500 align-middle" aria-hidden="true" />
          {totalTokens} tokens
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full text-zinc-500 dark:text-zinc-400"
        role="img"
        aria-label={`Daily credits and tokens from ${first} to ${last}: ${totalCredits} credits and ${totalTokens} tokens in total.`}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f} className="text-[11px]" fill="currentColor">
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={PAD.top + innerH * (1 - f)}
              y2={PAD.top + innerH * (1 - f)}
              stroke="currentColor"
              strokeOpacity={0.2}
            />
            <text x={PAD.left - 6} y={PAD.top + innerH * (1 - f) + 4} textAnchor="end">
              {short(creditMax * f)}
            </text>
            <text x={WIDTH - PAD.right + 6} y={PAD.top + innerH * (1 - f) + 4}>
              {short(tokenMax * f)}
            </text>
          </g>
        ))}
        {days.map((d, i) => (
          <rect
            key={d.day}
            x={x(i) + slot * 0.15}
            width={slot * 0.7}
            y={yCredits(d.credits)}
            height={PAD.top + innerH - yCredits(d.credits)}
            className="fill-indigo-500"
            rx={1.5}
          >
            <title>{`${d.day}: ${d.credits} credits, ${d.tokens} tokens, ${d.calls} calls`}</title>
          </rect>
        ))}
        <path d={line} fill="none" className="stroke-amber-500" strokeWidth={2} strokeLinejoin="round" />
        {days.map((d, i) =>
          (days.length - 1 - i) % 7 === 0 ? (
            <text
              key={d.day}
              x={x(i) + slot / 2}
              y={HEIGHT - 8}
              textAnchor="middle"
              className="text-[11px]"
              fill="currentColor"
            >
              {d.day.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <details className="text-sm">
        <summary className="cursor-pointer">Show as a table</summary>
        <table className="mt-2 w-full text-left tabular-nums">
          <thead>
            <ColumnHeaders
              columns={[
                { label: "Day (UTC)" },
                { label: "Credits", numeric: true },
                { label: "Tokens", numeric: true },
                { label: "Calls", numeric: true },
              ]}
              cellClassName=""
            />
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td className="text-right">{d.credits}</td>
                <td className="text-right">{d.tokens}</td>
                <td className="text-right">{d.calls}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

// What a job is, what clients may send about one, and what they are shown.
import { z } from "zod";
import type { AskBill } from "~/shared/ask-events";
import type { AskOutcome } from "../llm/ask";
import { askSchema } from "../llm/request";

export const JOB_TYPES = ["si"] as const;
export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED: JobStatus[] = ["succeeded", "failed", "canceled"];

export const JOB_ID = /^job_[0-9a-f]{32}$/;

const metadataSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]))
  .refine((record) => Object.keys(record).length <= 20, "at most 20 metadata keys");

export const jobInputSchema = askSchema.refine((input) => !input.stream, {
  message: "jobs do not stream; leave out stream",
  path: ["stream"],
});

export const createJobSchema = z
  .object({
    type: z.string({ error: "is required" }).refine((type) => (JOB_TYPES as readonly string[]).includes(type), {
      message: `unsupported job type; supported: ${JOB_TYPES.join(", ")}`,
    }),
    input: jobInputSchema,
    title: z.string().trim().max(200).optional(),
    metadata: metadataSchema.optional(),
  })
  .strict();

export type CreateJobBody = z.output<typeof createJobSchema>;

export const patchJobSchema = z
  .object({
    status: z.literal("canceled", { error: "status may only be set to canceled" }).optional(),
    title: z.string().trim().max(200).nullable().optional(),
    metadata: metadataSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "nothing to change" });

export type PatchJobBody = z.output<typeof patchJobSchema>;

export const listJobsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  status: z.enum(JOB_STATUSES).optional(),
});

export type ListJobsQuery = z.output<typeof listJobsSchema>;

export const jobRefSchema = z.object({ id: z.string().max(100) }).strict();

export type RunJobTarget = { id: string } | { job: CreateJobBody };

/**
 * POST /api/jobs/run's body: exactly `{ id }` of a queued job, or else a whole new job body —
 * whose own field errors are the ones reported (a union would only say "invalid input").
 */
export const runJobSchema = z.unknown().transform((body, ctx): RunJobTarget => {
  const ref = jobRefSchema.safeParse(body);
  if (ref.success) return { id: ref.data.id };
  const created = createJobSchema.safeParse(body);
  if (created.success) return { job: created.data };
  for (const issue of created.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
});

/** What a finished si job keeps of its answer: the text and its bill (without the balance). */
export type JobResult = Pick<AskOutcome, "text" | "finish_reason"> & Omit<AskBill, "balance">;

export interface Job {
  id: string;
  type: "si";
  status: JobStatus;
  title: string | null;
  metadata: Record<string, string | number | boolean | null>;
  account: string;
  account_kind: "email" | "guest";
  /** The API key the job was created with (its runs spend against it); null when none. */
  key_id?: string | null;
  input: z.output<typeof jobInputSchema>;
  tier: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  runner: string | null;
  /** How many times the job was claimed; its hold id is `job:<id>:<attempt>`. */
  attempt?: number;
  /** A running job's lease: past it, the run is presumed dead and the job recovers. */
  lease_until?: number | null;
  result: JobResult | null;
  error: { code: string; message: string } | null;
}

/** Summary kept as KV metadata for listings (KV metadata is at most 1 KB). */
export interface JobSummary {
  id: string;
  status: JobStatus;
  title: string | null;
  created_at: number;
  updated_at: number;
}

export function summaryOf(job: Job): JobSummary {
  return {
    id: job.id,
    status: job.status,
    title: job.title ? job.title.slice(0, 120) : null,
    created_at: job.created_at,
    updated_at: job.updated_at,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function publicJob(job: Job) {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    title: job.title,
    metadata: job.metadata,
    input: job.input,
    tier: job.tier,
    created_at: iso(job.created_at),
    updated_at: iso(job.updated_at),
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    result: job.result,
    error: job.error,
  };
}

/** The ledger hold a job's run takes (known to the job, so a dead run can be looked up). */
export function jobHoldId(job: Pick<Job, "id" | "attempt">): string {
  return `job:${job.id}:${job.attempt ?? 1}`;
}

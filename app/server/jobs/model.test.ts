import { describe, expect, it } from "vitest";
import { validate } from "../http/json";
import { runJobSchema } from "./model";

describe("the body of POST /api/jobs/run", () => {
  it("names a queued job by exactly its id", () => {
    expect(validate(runJobSchema, { id: "job_1" })).toEqual({ id: "job_1" });
  });

  it("or is a whole new job", () => {
    const target = validate(runJobSchema, { type: "si", input: { prompt: "hi" } });
    expect(target).toEqual({ job: { type: "si", input: { prompt: "hi" } } });
  });

  it("reports a new job's own field errors, not a vague union failure", () => {
    expect(() => validate(runJobSchema, { type: "si", input: {} })).toThrow(/^input\.prompt: send exactly one/);
    expect(() => validate(runJobSchema, { id: "job_1", title: "x" })).toThrow(/^type: is required/);
    expect(() => validate(runJobSchema, [])).toThrow();
  });
});

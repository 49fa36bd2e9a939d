// GET|HEAD /ready and its aliases: 200 when ready, 503 naming what is misconfigured.

import { readiness } from "~/server/health";
import { endpoint } from "~/server/http/endpoint";

const health = endpoint({
  async GET({ scope }) {
    const report = await readiness(scope);
    if (report.ok) {
      return Response.json({
        ok: true,
        provider: report.provider,
        model: report.model,
        local_upstream: report.local_upstream,
      });
    }
    const names = report.problems.map((problem) => problem.name);
    return Response.json(
      {
        ok: false,
        provider: report.provider,
        model: report.model,
        problems: report.problems,
        error: { code: "not_ready", message: `Not ready: ${names.join(", ")}.` },
        request_id: scope.requestId,
      },
      { status: 503 },
    );
  },
});

export const loader = health.loader;
export const action = health.action;

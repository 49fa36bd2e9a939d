// GET /admin/usage.csv?email=&from=&to=: the dashboard's "Download CSV" (its admin session checked
// by the dashboard's middleware), the same export as GET /api/admin/usage.csv.
import { adminExportSchema, adminUsageCsv, periodQuery } from "~/server/billing/usage-export";
import { scopeOf } from "~/server/context";
import { ApiError } from "~/server/http/errors";
import { readQuery } from "~/server/http/json";
import type { Route } from "./+types/admin.usage-csv";

export async function loader({ context, request }: Route.LoaderArgs) {
  const scope = scopeOf(context);
  try {
    const { email, from, to } = readQuery(new URL(request.url), adminExportSchema);
    return adminUsageCsv(scope.env, email || undefined, periodQuery(from, to));
  } catch (error) {
    if (error instanceof ApiError) return new Response(error.message, { status: error.status });
    throw error;
  }
}

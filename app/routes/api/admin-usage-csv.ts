// GET /api/admin/usage.csv?email=&from=&to= (admin): one account's records, or every account's, as CSV.
import { requireAdmin } from "~/server/auth/admin";
import { adminExportSchema, adminUsageCsv, periodQuery } from "~/server/billing/usage-export";
import { endpoint } from "~/server/http/endpoint";
import { readQuery } from "~/server/http/json";

export default endpoint({
  async GET({ request, url, scope }) {
    await requireAdmin(request, scope);
    const { email, from, to } = readQuery(url, adminExportSchema);
    return adminUsageCsv(scope.env, email || undefined, periodQuery(from, to));
  },
});

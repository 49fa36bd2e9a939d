// One account: its balance and totals, the adjust form, 30 days of spending, and its ledger.
import { data, Link } from "react-router";
import { z } from "zod";
import { AccountSummary } from "~/components/admin/account-summary";
import { AdjustForm } from "~/components/admin/adjust-form";
import { ProblemBox } from "~/components/admin/field";
import { SpendChart } from "~/components/admin/spend-chart";
import { UsageTable } from "~/components/admin/usage-table";
import { accountDetail } from "~/server/admin/accounts";
import { usageQuerySchema } from "~/server/billing/usage";
import { scopeOf } from "~/server/context";
import { textFields, validate } from "~/server/http/json";
import type { Route } from "./+types/admin.account";
import { adjustFromForm } from "./adjust.server";
import { attempt } from "./admin.server";

const USAGE_PAGE = 20;
/** The usage pages visited so far, newest first: a stack of cursors kept in the URL. */
const trailSchema = z.array(z.string().regex(/^[A-Za-z0-9+/=]{1,64}$/)).max(100);

function trailOf(raw: string | null): string[] {
  const parsed = trailSchema.safeParse(raw ? raw.split(",") : []);
  return parsed.success ? parsed.data : [];
}

export function meta({ params }: Route.MetaArgs) {
  return [{ title: `${params.account} · Cognomega admin` }];
}

export async function loader({ params, context, url }: Route.LoaderArgs) {
  const trail = trailOf(url.searchParams.get("page"));
  const detail = await attempt(async () => {
    const usage = validate(usageQuerySchema, { limit: USAGE_PAGE, cursor: trail.at(-1) });
    return accountDetail(scopeOf(context).env.LEDGER, params.account, usage);
  });
  if (!detail.ok)
    throw data(detail.problem.message, { status: detail.problem.status === 400 ? 404 : detail.problem.status });
  // A fresh idempotency key per rendering of the form, so a double submit applies once.
  return { account: params.account, detail: detail.value, trail, adjustKey: crypto.randomUUID() };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const outcome = await adjustFromForm(
    scopeOf(context).env.LEDGER,
    params.account,
    textFields(await request.formData()),
  );
  return data(outcome, { status: outcome.kind === "invalid" ? 400 : 200 });
}

export default function AdminAccount({ loaderData, actionData }: Route.ComponentProps) {
  const { account, detail, trail, adjustKey } = loaderData;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link to="/admin" className="muted text-sm underline">
          ← Accounts
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight break-all">{account}</h1>
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="flex flex-col gap-6">
          <AccountSummary detail={detail} />
          <SpendChart days={detail.daily} />
        </div>
        <AdjustForm key={adjustKey} outcome={actionData} balance={detail.balance} idempotencyKey={adjustKey} />
      </div>
      <UsageTable records={detail.usage.records} next={detail.usage.next_cursor} trail={trail} />
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const message = typeof (error as { data?: unknown })?.data === "string" ? (error as { data: string }).data : null;
  return (
    <div className="flex flex-col gap-4">
      <Link to="/admin" className="muted text-sm underline">
        ← Accounts
      </Link>
      <ProblemBox title="This account cannot be shown" message={message ?? "Something went wrong reading it."} />
    </div>
  );
}

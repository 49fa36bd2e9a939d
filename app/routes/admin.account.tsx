// One account: its balance and totals, the adjust form, 30 days of spending, and its ledger.
import { data, isRouteErrorResponse, Link, useParams } from "react-router";
import { z } from "zod";
import { AccountKeys } from "~/components/admin/account-keys";
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
import { accountKeys, adminKeyAction } from "./admin-keys.server";

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
  const ledger = scopeOf(context).env.LEDGER;
  const [detail, keys] = await Promise.all([
    attempt(async () => {
      const usage = validate(usageQuerySchema, { limit: USAGE_PAGE, cursor: trail.at(-1) });
      return accountDetail(ledger, params.account, usage);
    }),
    accountKeys(ledger, params.account),
  ]);
  // A name that cannot be an account (not an email, not a guest id) is a page that does not exist.
  if (!detail.ok)
    throw data(detail.problem.message, { status: detail.problem.status === 400 ? 404 : detail.problem.status });
  // A fresh idempotency key per rendering of the form, so a double submit applies once.
  return { account: params.account, detail: detail.value, keys, trail, adjustKey: crypto.randomUUID() };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const ledger = scopeOf(context).env.LEDGER;
  const fields = textFields(await request.formData());
  // The key forms (make, revoke) post an intent; the adjust form does not.
  if (fields.intent === "create-key" || fields.intent === "revoke-key") {
    const keyForm = await adminKeyAction(ledger, params.account, fields);
    return data({ keyForm }, { status: keyForm.kind === "invalid" ? 400 : 200 });
  }
  const outcome = await adjustFromForm(ledger, params.account, fields);
  return data(outcome, { status: outcome.kind === "invalid" ? 400 : 200 });
}

/** Said under the heading when the ledger has never seen the account. */
function NotSeenYet({ kind }: { kind: "email" | "guest" }) {
  return (
    <p role="note" className="rounded-md bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
      {kind === "guest"
        ? "No guest with this id has been seen: it has never chatted and holds no credits."
        : "This account is not known yet: it has never chatted and holds no credits. Granting credits creates it."}
    </p>
  );
}

export default function AdminAccount({ loaderData, actionData }: Route.ComponentProps) {
  const { account, detail, trail, adjustKey } = loaderData;
  const adjusted = actionData && !("keyForm" in actionData) ? actionData : undefined;
  const unseen = detail.created_at === null && detail.last_seen === null;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link to="/admin/accounts" className="muted text-sm underline">
          ← Accounts
        </Link>
        <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight wrap-anywhere outline-none">
          {account}
        </h1>
        {unseen && <NotSeenYet kind={detail.kind} />}
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="flex flex-col gap-6">
          <AccountSummary detail={detail} />
          <a href={`/admin/usage.csv?email=${encodeURIComponent(account)}`} download className="btn-outline self-start">
            Download CSV
          </a>
          <SpendChart days={detail.daily} />
        </div>
        {!(unseen && detail.kind === "guest") && (
          <AdjustForm key={adjustKey} outcome={adjusted} balance={detail.balance} idempotencyKey={adjustKey} />
        )}
      </div>
      {detail.kind === "email" && <AccountKeys keys={loaderData.keys} />}
      <UsageTable records={detail.usage.records} next={detail.usage.next_cursor} trail={trail} />
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { account = "" } = useParams();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  return (
    <div className="flex flex-col gap-4">
      <Link to="/admin/accounts" className="muted text-sm underline">
        ← Accounts
      </Link>
      <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
        {missing ? "No such account" : "This account cannot be shown"}
      </h1>
      {missing ? (
        <p className="wrap-anywhere">
          There is no account “{account}”. Accounts are email addresses (name@example.com) or guest ids (guest:…);
          search the accounts list to find one.
        </p>
      ) : (
        <ProblemBox title="Reading the account failed" message={message ?? "Something went wrong reading it."} />
      )}
    </div>
  );
}

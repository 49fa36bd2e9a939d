// What the dashboard's components receive: the server modules' own return types.
import type { accountDetail } from "~/server/admin/accounts";

export type AccountDetail = Awaited<ReturnType<typeof accountDetail>>;
export type DailyTotal = AccountDetail["daily"][number];
export type LedgerRow = AccountDetail["usage"]["records"][number];

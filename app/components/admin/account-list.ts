// The accounts list's view: which accounts (all, guests, email accounts) and in what order
// (by id, balance or last seen). Sorting or filtering reads up to SCAN_LIMIT accounts from the
// index and orders them here, since the index itself is kept in id order.
export type KindFilter = "all" | "guest" | "email";
export type AccountSort = "account" | "balance" | "last_seen";

export const SCAN_LIMIT = 1000;
export const SORTED_PAGE = 100;

export interface AccountRow {
  account: string;
  kind: "email" | "guest";
  balance: number;
  last_seen: number | null;
}

export interface ListView {
  q: string;
  kind: KindFilter;
  sort: AccountSort;
}

export function parseView(params: URLSearchParams): ListView {
  const kind = params.get("kind");
  const sort = params.get("sort");
  return {
    q: (params.get("q") ?? "").trim().toLowerCase().slice(0, 254),
    kind: kind === "guest" || kind === "email" ? kind : "all",
    sort: sort === "balance" || sort === "last_seen" ? sort : "account",
  };
}

/** The URL of the list with some of its view changed; a cursor belongs to one view only. */
export function viewHref(view: ListView, change: Partial<ListView> = {}, cursor?: string): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.kind !== "all") params.set("kind", next.kind);
  if (next.sort !== "account") params.set("sort", next.sort);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `?${query}` : "?";
}

/** The index prefix to read: guests all start with "guest:". */
export function prefixFor(view: ListView): string {
  if (view.kind === "guest" && !view.q) return "guest:";
  return view.q;
}

/** Whether the view needs the index read beyond one page (a filter or an order of its own). */
export const needsScan = (view: ListView) => view.sort !== "account" || view.kind === "email";

export function arrange(rows: AccountRow[], view: ListView): AccountRow[] {
  const kept = view.kind === "all" ? rows : rows.filter((row) => row.kind === view.kind);
  if (view.sort === "balance") return kept.toSorted((a, b) => b.balance - a.balance);
  if (view.sort === "last_seen") return kept.toSorted((a, b) => (b.last_seen ?? 0) - (a.last_seen ?? 0));
  return kept;
}

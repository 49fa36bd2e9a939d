// The ledger's SQLite schema, as migrations (app/server/storage/migrate.ts): append a new entry
// to change it. CHECK constraints make the invariant a property of the storage: a statement that
// would break it fails and its transaction rolls back.
import type { Migration } from "../storage/migrate";

export const LEDGER_MIGRATIONS: readonly Migration[] = [
  // 1: accounts, holds, records and idempotency memory. (IF NOT EXISTS: objects created before
  // migrations were counted already have these tables.)
  `
CREATE TABLE IF NOT EXISTS account (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  account TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  granted INTEGER NOT NULL DEFAULT 0,
  adjusted INTEGER NOT NULL DEFAULT 0,
  spent INTEGER NOT NULL DEFAULT 0,
  balance INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  CHECK (balance >= 0),
  CHECK (held >= 0),
  CHECK (balance = granted + adjusted - spent)
);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  request_id TEXT
);
CREATE TABLE IF NOT EXISTS records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  micro INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  provider TEXT,
  model TEXT,
  tokens_in INTEGER,
  tokens_out INTEGER,
  estimated INTEGER,
  request_id TEXT,
  job_id TEXT,
  tier TEXT,
  actor TEXT,
  reason TEXT,
  outcome TEXT
);
CREATE INDEX IF NOT EXISTS records_kind_at ON records (kind, at);
CREATE TABLE IF NOT EXISTS operations (
  key TEXT PRIMARY KEY,
  fingerprint TEXT,
  state TEXT NOT NULL,
  result TEXT,
  at INTEGER NOT NULL
);
`,
  // 2: API keys (the ledger is their authority, docs/decisions/009), holds that resolve on their
  // own (kept after resolving, so a late settle finds what its expiry charged), records with the
  // key and the prices they were charged at, idempotency keys that name their hold.
  `
CREATE TABLE keys (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  name TEXT,
  prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at INTEGER,
  credit_limit INTEGER,
  spent INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER,
  CHECK (spent >= 0),
  CHECK (held >= 0),
  CHECK (credit_limit IS NULL OR spent <= credit_limit)
);
ALTER TABLE holds ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
ALTER TABLE holds ADD COLUMN key_id TEXT;
ALTER TABLE holds ADD COLUMN idem_key TEXT;
ALTER TABLE holds ADD COLUMN job_id TEXT;
ALTER TABLE holds ADD COLUMN tier TEXT;
ALTER TABLE holds ADD COLUMN provider TEXT;
ALTER TABLE holds ADD COLUMN model TEXT;
ALTER TABLE holds ADD COLUMN price_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holds ADD COLUMN price_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holds ADD COLUMN tokens_in_est INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holds ADD COLUMN delivered_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holds ADD COLUMN charged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE holds ADD COLUMN resolved_at INTEGER;
ALTER TABLE holds ADD COLUMN record_id TEXT;
CREATE INDEX holds_state_expiry ON holds (state, expires_at);
ALTER TABLE records ADD COLUMN key_id TEXT;
ALTER TABLE records ADD COLUMN price_in INTEGER;
ALTER TABLE records ADD COLUMN price_out INTEGER;
ALTER TABLE records ADD COLUMN ref TEXT;
CREATE INDEX records_key ON records (key_id, seq);
ALTER TABLE operations ADD COLUMN hold_id TEXT;
`,
  // 3: money (issue 16): the low-balance crossing flag, and the outbox of webhooks still to be
  // delivered (retried by the alarm with backoff, for at most a day).
  `
ALTER TABLE account ADD COLUMN low_alerted INTEGER NOT NULL DEFAULT 0;
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_next ON outbox (next_at);
`,
];

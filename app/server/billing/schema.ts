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
];

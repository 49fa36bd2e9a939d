import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LEDGER_MIGRATIONS } from "../billing/schema";
import { type Migration, migrate, schemaVersion } from "./migrate";

/** Runs `work` against the storage of a fresh object that has never been touched. */
function withFreshStorage<T>(work: (storage: DurableObjectStorage) => T | Promise<T>): Promise<T> {
  // JobRecord migrates lazily, so a new one's storage is empty until we use it here.
  const stub = env.JOBS.get(env.JOBS.newUniqueId());
  return runInDurableObject(stub, (_instance, state) => work(state.storage));
}

const tables = (storage: DurableObjectStorage) =>
  storage.sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name != 'sqlite_sequence'",
    )
    .toArray()
    .map((row) => row.name)
    .sort();

describe("schema migrations", () => {
  it("apply in order, once each, and remember how far they got", async () => {
    await withFreshStorage((storage) => {
      let runs = 0;
      const count: Migration = () => {
        runs += 1;
      };
      const first: Migration[] = ["CREATE TABLE a (x INTEGER)", count];
      expect(schemaVersion(storage.sql)).toBe(0);
      expect(migrate(storage, first)).toBe(2);
      expect(migrate(storage, first)).toBe(2);
      expect(runs).toBe(1);
      expect(migrate(storage, [...first, "ALTER TABLE a ADD COLUMN y TEXT"])).toBe(3);
      expect(runs).toBe(1);
      storage.sql.exec("INSERT INTO a (x, y) VALUES (1, 'added by migration 3')");
      expect(schemaVersion(storage.sql)).toBe(3);
      expect(tables(storage)).toEqual(["a"]);
    });
  });

  it("leave nothing behind when a migration fails", async () => {
    await withFreshStorage((storage) => {
      migrate(storage, ["CREATE TABLE a (x INTEGER)"]);
      expect(() => migrate(storage, ["CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y)", "NOT SQL"])).toThrow();
      expect(schemaVersion(storage.sql)).toBe(1);
      expect(tables(storage)).toEqual(["a"]);
    });
  });

  it("leave storage newer than the code as it is (a rolled-back deploy)", async () => {
    await withFreshStorage((storage) => {
      migrate(storage, ["CREATE TABLE a (x)", "CREATE TABLE b (y)"]);
      expect(migrate(storage, ["CREATE TABLE a (x)"])).toBe(2);
      expect(tables(storage)).toEqual(["a", "b"]);
    });
  });

  it("bring a ledger created before versions were kept to version 1 without losing a row", async () => {
    await withFreshStorage((storage) => {
      const original = LEDGER_MIGRATIONS[0] as string;
      storage.sql.exec(original);
      storage.sql.exec(
        "INSERT INTO account (singleton, account, kind, created_at, last_seen, granted, balance) VALUES (1, 'a@example.com', 'email', 1, 1, 5, 5)",
      );
      expect(migrate(storage, LEDGER_MIGRATIONS)).toBe(LEDGER_MIGRATIONS.length);
      expect(storage.sql.exec<{ balance: number }>("SELECT balance FROM account").one().balance).toBe(5);
    });
  });
});

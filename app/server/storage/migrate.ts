// A Durable Object's SQLite schema as a list of migrations, applied in order and once each; the
// number applied so far is kept in the object's `_meta` table. Adding a table or a column is one
// more entry at the end of the list. An entry that has shipped is never edited or removed: live
// objects have already run it.

/** SQL to run (several statements may be given at once), or a step that needs code. */
export type Migration = string | ((sql: SqlStorage) => void);

const META = "CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)";

/** The schema version this object's storage is at (0 before any migration ran). */
export function schemaVersion(sql: SqlStorage): number {
  sql.exec(META);
  return sql.exec<{ value: number }>("SELECT value FROM _meta WHERE key = 'schema_version'").toArray()[0]?.value ?? 0;
}

/**
 * Brings the storage up to the last migration, in one transaction; returns the version reached.
 * Storage already past this code's list (a rollback) is left as it is.
 */
export function migrate(storage: DurableObjectStorage, migrations: readonly Migration[]): number {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    const from = schemaVersion(sql);
    for (let version = from; version < migrations.length; version++) {
      const step = migrations[version];
      if (typeof step === "string") sql.exec(step);
      else step?.(sql);
    }
    if (from < migrations.length) {
      sql.exec(
        "INSERT INTO _meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        migrations.length,
      );
    }
    return Math.max(from, migrations.length);
  });
}

// Signed-out admin sessions, until they would have expired anyway: one Durable Object for the
// whole deployment (admin sessions are few), so a sign-out is seen everywhere at once and a
// copied cookie stops working with it. Entries are dropped by the alarm once past their expiry.
import { DurableObject } from "cloudflare:workers";
import { type Migration, migrate } from "../storage/migrate";

const MIGRATIONS: readonly Migration[] = [
  "CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",
];

export class AdminSessions extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage, MIGRATIONS);
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO revoked (jti, expires_at) VALUES (?, ?)", jti, expiresAt);
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > expiresAt) await this.ctx.storage.setAlarm(expiresAt);
  }

  isRevoked(jti: string): boolean {
    return this.ctx.storage.sql.exec("SELECT 1 FROM revoked WHERE jti = ?", jti).toArray().length > 0;
  }

  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM revoked WHERE expires_at <= ?", Date.now());
    const next = sql.exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM revoked").one().at;
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }
}

export function adminSessions(namespace: DurableObjectNamespace<AdminSessions>) {
  return namespace.get(namespace.idFromName("admin-sessions"));
}

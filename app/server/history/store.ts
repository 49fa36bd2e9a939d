// One account's conversations, kept server-side so they follow the account to any device: one
// Durable Object per account (named from the account, so no other account's requests can reach
// it), SQLite inside, bounded in count and size.
import { DurableObject } from "cloudflare:workers";
import { migrate } from "../storage/migrate";

/** Conversations kept per account; the least recently updated go first. */
export const MAX_CONVERSATIONS = 200;

const MIGRATIONS = [
  `
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  turns TEXT NOT NULL,
  words TEXT NOT NULL
);
CREATE INDEX conversations_updated ON conversations (updated_at);
`,
];

// Types, not interfaces: SQL rows must be plain records.
export type ConversationSummary = {
  id: string;
  title: string;
  updated_at: number;
};

export type StoredConversation = ConversationSummary & { turns: unknown[] };

type Row = ConversationSummary & { turns: string; words: string };

/** `text` as a LIKE pattern that matches it literally anywhere. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ConversationStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(ctx.storage, MIGRATIONS);
  }

  /** Newest first; `query` matches titles and the conversation's words (case-insensitive). */
  list(query: string | undefined, limit: number): ConversationSummary[] {
    const columns = "id, title, updated_at";
    const rows = query
      ? this.sql.exec<ConversationSummary>(
          `SELECT ${columns} FROM conversations WHERE title LIKE ?1 ESCAPE '\\' OR words LIKE ?1 ESCAPE '\\'
           ORDER BY updated_at DESC LIMIT ?2`,
          containing(query),
          limit,
        )
      : this.sql.exec<ConversationSummary>(
          `SELECT ${columns} FROM conversations ORDER BY updated_at DESC LIMIT ?1`,
          limit,
        );
    return rows.toArray();
  }

  get(id: string): StoredConversation | null {
    const row = this.sql.exec<Row>("SELECT * FROM conversations WHERE id = ?", id).toArray()[0];
    return row ? { id: row.id, title: row.title, updated_at: row.updated_at, turns: JSON.parse(row.turns) } : null;
  }

  /** Creates or replaces a conversation; the oldest beyond MAX_CONVERSATIONS are dropped. */
  put(conversation: StoredConversation, words: string): ConversationSummary {
    const { id, title, updated_at } = conversation;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO conversations (id, title, updated_at, turns, words) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at,
           turns = excluded.turns, words = excluded.words`,
        id,
        title,
        updated_at,
        JSON.stringify(conversation.turns),
        words,
      );
      this.sql.exec(
        `DELETE FROM conversations WHERE id NOT IN
           (SELECT id FROM conversations ORDER BY updated_at DESC LIMIT ?)`,
        MAX_CONVERSATIONS,
      );
    });
    return { id, title, updated_at };
  }

  rename(id: string, title: string): ConversationSummary | null {
    const row = this.sql
      .exec<ConversationSummary>(
        "UPDATE conversations SET title = ? WHERE id = ? RETURNING id, title, updated_at",
        title,
        id,
      )
      .toArray()[0];
    return row ?? null;
  }

  remove(id: string): boolean {
    return this.sql.exec("DELETE FROM conversations WHERE id = ?", id).rowsWritten > 0;
  }
}

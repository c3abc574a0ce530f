// The SQLite journal (the default): one file, WAL mode, synchronous=FULL so a committed transition survives a
// power cut. better-sqlite3 is synchronous; an async mutex keeps one transaction from interleaving with another
// caller's statements between its awaits.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { SqlDriver } from "./sql-driver.ts";
import { journalSchema, SqlJournal } from "./sql-journal.ts";

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock<T>(body: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((done) => (release = done));
    await previous;
    try {
      return await body();
    } finally {
      release();
    }
  }
}

class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  constructor(
    private readonly db: Database.Database,
    private readonly mutex: Mutex | null,
  ) {}

  private guarded<T>(body: () => Promise<T>): Promise<T> {
    return this.mutex ? this.mutex.lock(body) : body();
  }

  all(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.guarded(async () => this.db.prepare(sql).all(...params) as Record<string, unknown>[]);
  }

  run(sql: string, params: unknown[] = []): Promise<number> {
    return this.guarded(async () => this.db.prepare(sql).run(...params).changes);
  }

  transaction<T>(body: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return this.guarded(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await body(new SqliteDriver(this.db, null));
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.guarded(async () => this.db.close());
  }
}

/** Opens (creating if needed) the journal at `path`; ":memory:" gives a throwaway journal (dry runs, tests). */
export async function openSqliteJournal(path: string): Promise<SqlJournal> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.defaultSafeIntegers(true);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  const journal = new SqlJournal(
    new SqliteDriver(db, new Mutex()),
    journalSchema("INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT"),
  );
  await journal.migrate();
  return journal;
}

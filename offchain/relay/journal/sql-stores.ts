// The journal's smaller stores over the SQL driver: cursors, the workers' jobs (the `kv` table), spend and proposals.
import { num, strOrNull, type SqlDriver } from "./sql-driver.ts";
import type { CursorStore, JobTable, ProposalNote, ProposalStore, SpendStore } from "./types.ts";

/** A value by its name in a two-column table (`cursors` by name, `kv` by key), written last-one-wins. */
class NamedValues {
  constructor(
    protected readonly db: SqlDriver,
    private readonly table: "cursors" | "kv",
    private readonly column: "name" | "key",
  ) {}

  async get(name: string): Promise<string | undefined> {
    const rows = await this.db.all(`SELECT value FROM ${this.table} WHERE ${this.column} = ?`, [name]);
    return rows[0] ? String(rows[0].value) : undefined;
  }

  async set(name: string, value: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO ${this.table} (${this.column}, value, updated_at) VALUES (?, ?, ?) ` +
        `ON CONFLICT (${this.column}) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [name, value, now],
    );
  }
}

export class SqlCursorStore extends NamedValues implements CursorStore {
  constructor(db: SqlDriver) {
    super(db, "cursors", "name");
  }

  async list(): Promise<{ name: string; value: string; updatedAt: number }[]> {
    const rows = await this.db.all("SELECT name, value, updated_at FROM cursors ORDER BY name");
    return rows.map((r) => ({ name: String(r.name), value: String(r.value), updatedAt: num(r.updated_at) }));
  }
}

export class SqlJobTable extends NamedValues implements JobTable {
  constructor(db: SqlDriver) {
    super(db, "kv", "key");
  }

  async compareAndSet(key: string, expected: string | undefined, next: string, now: number): Promise<boolean> {
    const changed =
      expected === undefined
        ? await this.db.run("INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING", [
            key,
            next,
            now,
          ])
        : await this.db.run("UPDATE kv SET value = ?, updated_at = ? WHERE key = ? AND value = ?", [
            next,
            now,
            key,
            expected,
          ]);
    return changed > 0;
  }

  async list(prefix: string): Promise<{ key: string; value: string; updatedAt: number }[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db.all("SELECT key, value, updated_at FROM kv WHERE key LIKE ? ESCAPE '\\' ORDER BY key", [
      pattern,
    ]);
    // SQLite's LIKE ignores ASCII case; the prefix test keeps exactly the keys asked for.
    return rows
      .filter((r) => String(r.key).startsWith(prefix))
      .map((r) => ({ key: String(r.key), value: String(r.value), updatedAt: num(r.updated_at) }));
  }
}

export class SqlSpendStore implements SpendStore {
  constructor(private readonly db: SqlDriver) {}

  async record(actionId: bigint, day: string, sats: bigint): Promise<void> {
    await this.db.run("INSERT INTO spend (action_id, day, sats) VALUES (?, ?, ?) ON CONFLICT (action_id) DO NOTHING", [
      actionId,
      day,
      sats.toString(),
    ]);
  }

  async spentOn(day: string): Promise<bigint> {
    const rows = await this.db.all("SELECT sats FROM spend WHERE day = ?", [day]);
    return rows.reduce((sum, r) => sum + BigInt(String(r.sats)), 0n);
  }
}

export class SqlProposalStore implements ProposalStore {
  constructor(private readonly db: SqlDriver) {}

  async note(note: ProposalNote, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO proposals (id, kind, verdict, detail, seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET verdict = excluded.verdict, detail = excluded.detail`,
      [note.id, note.kind, note.verdict, note.detail, now],
    );
  }

  async list(limit: number): Promise<ProposalNote[]> {
    const rows = await this.db.all("SELECT * FROM proposals ORDER BY id DESC LIMIT ?", [limit]);
    return rows.map((r) => ({
      id: BigInt(r.id as string),
      kind: String(r.kind),
      verdict: String(r.verdict) as ProposalNote["verdict"],
      detail: strOrNull(r.detail),
    }));
  }
}

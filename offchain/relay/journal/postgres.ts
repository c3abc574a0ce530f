// The PostgreSQL journal, for several relays sharing work: jobs are taken with SELECT ... FOR UPDATE SKIP LOCKED and
// leased to one relay at a time, and every transition is a compare-and-set, so two relays never run one action.
import pg from "pg";
import type { SqlDriver } from "./sql-driver.ts";
import { journalSchema, SqlJournal } from "./sql-journal.ts";

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};
const prepared = (params: unknown[]): unknown[] => params.map((p) => (typeof p === "bigint" ? p.toString() : p));

class PgDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  constructor(
    private readonly pool: pg.Pool,
    private readonly client: pg.PoolClient | null,
  ) {}

  private get target(): pg.Pool | pg.PoolClient {
    return this.client ?? this.pool;
  }

  async all(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.target.query(numbered(sql), prepared(params))).rows as Record<string, unknown>[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.target.query(numbered(sql), prepared(params))).rowCount ?? 0;
  }

  async transaction<T>(body: (tx: SqlDriver) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client whose server connection dies emits 'error'; unheard, it would end the process. The
    // transaction's query fails as well, which is how the caller learns; the broken client is discarded.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const result = await body(new PgDriver(this.pool, client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function openPostgresJournal(connectionString: string): Promise<SqlJournal> {
  const pool = new pg.Pool({ connectionString, max: 4 });
  // Idle clients can lose their server (a restart); the pool reconnects on the next query.
  pool.on("error", () => undefined);
  const journal = new SqlJournal(new PgDriver(pool, null), journalSchema("BIGINT", "BIGSERIAL PRIMARY KEY"));
  // Relays starting together race on CREATE TABLE IF NOT EXISTS; an advisory lock serializes the migration.
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(7343)");
    await journal.migrate();
  } finally {
    await client.query("SELECT pg_advisory_unlock(7343)").catch(() => undefined);
    client.release();
  }
  return journal;
}

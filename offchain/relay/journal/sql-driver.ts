// The small SQL surface the journal is written against; sqlite.ts and postgres.ts implement it. Statements use `?`
// placeholders; the PostgreSQL driver numbers them.

export interface SqlDriver {
  readonly dialect: "sqlite" | "postgres";
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs `body` in one transaction; the driver passed in is bound to it. */
  transaction<T>(body: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
export const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

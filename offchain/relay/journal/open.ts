// Picks the journal the config names: PostgreSQL when journal.postgres_url is set, else SQLite at journal.sqlite_path.
import type { RelayConfig } from "../config.ts";
import { openPostgresJournal } from "./postgres.ts";
import { openSqliteJournal } from "./sqlite.ts";
import type { Journal } from "./types.ts";

export async function openJournal(
  config: RelayConfig["journal"],
  options: { inMemory?: boolean } = {},
): Promise<Journal> {
  if (options.inMemory) return openSqliteJournal(":memory:");
  if (config.postgresUrl) return openPostgresJournal(config.postgresUrl.reveal());
  return openSqliteJournal(config.sqlitePath);
}

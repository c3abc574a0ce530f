// Fault injection for a relay on the PostgreSQL journal (`node --import ./kill-at-pg.mjs bin/lvdao.mjs relay start`):
// the process SIGKILLs itself just before it writes one column of the actions table (RELAY_FAULT_KILL_COLUMN, e.g.
// daemon_ref: the daemon has acted, its answer is not journaled, no receipt is sent), but only while the file
// RELAY_FAULT_KILL_ARM names exists; the dying process removes it first, so exactly one relay of a group dies per
// arming and the one that takes over runs unharmed. It watches pg's Client.query, so the relay's code runs unchanged.
// Test code only.
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const column = process.env.RELAY_FAULT_KILL_COLUMN;
const arm = process.env.RELAY_FAULT_KILL_ARM;
if (column && arm) {
  const require = createRequire(import.meta.url);
  const pg = require("pg");
  /** Whether an UPDATE of the actions table sets `column` (not a state move) to a value. */
  const matches = (sql, params) => {
    if (typeof sql !== "string" || !sql.startsWith("UPDATE actions SET ")) return false;
    const assignments = sql
      .slice("UPDATE actions SET ".length, sql.indexOf(" WHERE "))
      .split(", ")
      .map((a) => a.replace(/ = \$\d+$/, ""));
    const index = assignments.indexOf(column);
    return assignments[0] !== "state" && index >= 0 && params?.[index] !== null && params?.[index] !== undefined;
  };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, callback) {
    const sql = typeof config === "string" ? config : config?.text;
    if (matches(sql, values) && existsSync(arm)) {
      rmSync(arm, { force: true });
      process.kill(process.pid, "SIGKILL");
    }
    return query.call(this, config, values, callback);
  };
}

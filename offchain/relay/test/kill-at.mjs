// Fault injection for the relay process (`node --import ./kill-at.mjs bin/lvdao.mjs relay start ...`): the process
// SIGKILLs itself at one journal write, named in RELAY_FAULT_KILL_AT (JSON), exactly as if the machine died there:
//   {"when":"after","op":"transition","from":"seen","to":"claimed"}   dies once that transition has committed
//   {"when":"before","op":"patch","column":"daemon_ref"}               dies before the write of that column
//   {"when":"after","op":"job","prefix":"vault-funding:","state":"cosigner-signed"}
//                                        dies once a job record under that key prefix is written in that state
//   {"when":"after","op":"desk-trade","state":"delivered"}
//                                        dies once an LV desk trade's move into that state has committed
// It watches better-sqlite3 statements (the SQLite journal), so the relay's code runs unchanged. Test code only.
import { createRequire } from "node:module";

const spec = JSON.parse(process.env.RELAY_FAULT_KILL_AT ?? "null");
if (spec) {
  const require = createRequire(import.meta.url);
  const Database = require("better-sqlite3");
  let armed = true;
  let killAtCommit = false;
  let inTransaction = false;
  const die = () => process.kill(process.pid, "SIGKILL");

  /** Whether an UPDATE of the actions table with these params is the write the spec names. */
  const matches = (sql, params) => {
    if (!armed || !/^UPDATE actions SET /.test(sql)) return false;
    const assignments = sql
      .slice("UPDATE actions SET ".length, sql.indexOf(" WHERE "))
      .split(", ")
      .map((a) => a.replace(" = ?", ""));
    if (spec.op === "transition") {
      return assignments[0] === "state" && params[0] === spec.to && params[params.length - 1] === spec.from;
    }
    const index = assignments.indexOf(spec.column);
    return assignments[0] !== "state" && index >= 0 && params[index] !== null && params[index] !== undefined;
  };

  /** Whether a write of the job table (`kv`) with these params is the one the spec names. */
  const jobMatches = (sql, params) => {
    if (!armed || spec.op !== "job") return false;
    // INSERT (key, value, updated_at) or UPDATE SET value = ?, updated_at = ? WHERE key = ? AND value = ?
    const [key, value] = /^INSERT INTO kv/.test(sql) ? [params[0], params[1]] : [params[2], params[0]];
    return typeof key === "string" && key.startsWith(spec.prefix) && String(value).includes(`"state":"${spec.state}"`);
  };

  /** Whether a desk trade's compare-and-set (`UPDATE desk_trades SET state = ?, ...`) is the move the spec names. */
  const tradeMatches = (sql, params) =>
    armed && spec.op === "desk-trade" && /^UPDATE desk_trades SET state = \?/.test(sql) && params[0] === spec.state;

  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql) {
    const statement = prepare.call(this, sql);
    if (/^UPDATE desk_trades /.test(sql)) {
      const runTrade = statement.run;
      statement.run = function (...params) {
        if (!tradeMatches(sql, params)) return runTrade.apply(this, params);
        armed = false;
        if (spec.when === "before") die();
        const result = runTrade.apply(this, params);
        if (result.changes > 0) die();
        armed = true;
        return result;
      };
      return statement;
    }
    if (/^(INSERT INTO|UPDATE) kv /.test(sql)) {
      const runJob = statement.run;
      statement.run = function (...params) {
        if (!jobMatches(sql, params)) return runJob.apply(this, params);
        armed = false;
        if (spec.when === "before") die();
        const result = runJob.apply(this, params);
        if (result.changes > 0) die();
        armed = true;
        return result;
      };
      return statement;
    }
    if (!/^UPDATE actions SET /.test(sql)) return statement;
    const run = statement.run;
    statement.run = function (...params) {
      if (!matches(sql, params)) return run.apply(this, params);
      armed = false;
      if (spec.when === "before") die();
      const result = run.apply(this, params);
      if (inTransaction) killAtCommit = true;
      else die();
      return result;
    };
    return statement;
  };

  const exec = Database.prototype.exec;
  Database.prototype.exec = function (sql) {
    const result = exec.call(this, sql);
    if (/^BEGIN/.test(sql)) inTransaction = true;
    if (sql === "COMMIT" || sql === "ROLLBACK") {
      inTransaction = false;
      if (killAtCommit && sql === "COMMIT") die();
    }
    return result;
  };
}

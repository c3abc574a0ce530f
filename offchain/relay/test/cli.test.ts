// The lvdao command: usage, config errors (exit 78 naming the field), and `relay status` reading a journal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_KINDS } from "../../actions/index.ts";
import { main, VERSION } from "../cli/main.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-cli-"));
  writeFileSync(join(dir, "relay.key"), "7287ba251d44a4d3fd9276c88ce34c5c52a038955511cccaf77e61068649c17801");
  writeFileSync(
    join(dir, "relay.toml"),
    `[stacks]\napi_url = "http://127.0.0.1:1"\ndeployer = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM"\nrelay_key_file = "relay.key"\n[journal]\nsqlite_path = "relay.db"\n[limits]\ndaily_onchain_budget_sats = 5000000\n`,
  );
  writeFileSync(
    join(dir, "bad.toml"),
    `[stacks]\napi_url = "http://127.0.0.1:1"\ndeployer = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM"\nrelay_key_file = "relay.key"\nconfirmations = -1\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("lvdao", () => {
  it.each([
    [["help"], 0, "lvdao relay start"],
    [[], 2, "usage"],
    [["relay", "launch"], 2, "unknown command: relay launch"],
    [["relay", "start"], 2, "relay start needs --config"],
    [["relay", "status", "--config", "missing.toml"], 78, "cannot read missing.toml"],
    [["relay", "status", "--config", "relay.toml", "--jsn"], 2, "Unknown option '--jsn'"],
    [["audit", "--jsn"], 2, "Unknown option '--jsn'"],
    [["action", "kinds", "--jsn"], 2, "Unknown option '--jsn'"],
    [["--version"], 0, `lvdao ${VERSION}`],
    [
      ["action", "encode", "open-channel", "{}"],
      65,
      'ERR_UNKNOWN_KIND: "open-channel" is not an action kind (kinds: channel-open, ',
    ],
    [
      ["action", "decode", "fee-policy", "0x0c0000000201"],
      65,
      "is truncated: 6 bytes, but the value it starts needs at least 8",
    ],
  ])("%j exits %i", async (argv, code, text) => {
    const result = await run(...argv);
    expect(result.code).toBe(code);
    expect(result.out + result.err).toContain(text);
  });

  it("a usage error prints the usage after the reason", async () => {
    const result = await run("relay", "status", "--jsn");
    expect(result.err.split("\n").slice(0, 2)).toEqual(["lvdao: Unknown option '--jsn'", "usage:"]);
  });

  it("action kinds lists each kind's fields with type and unit", async () => {
    const result = await run("action", "kinds");
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    const feePolicy = lines.indexOf("fee-policy (relay)");
    expect(lines.slice(feePolicy, feePolicy + 7)).toEqual([
      "fee-policy (relay)",
      "  target                      (optional {txid: (buff 32), vout: uint})",
      "  base-fee-msat               uint  [msat]",
      "  fee-ppm                     uint  [ppm of the amount forwarded]",
      "  inbound-base-discount-msat  uint  [msat]",
      "  inbound-ppm-discount        uint  [ppm]",
      "  cltv-delta                  uint  [blocks]",
    ]);
    const listed = JSON.parse((await run("action", "kinds", "--json")).out) as { kind: string; by: string }[];
    expect(listed.map((k) => k.kind)).toEqual(ACTION_KINDS);
    expect(listed.find((k) => k.kind === "treasury-transfer")?.by).toBe("chain");
  });

  it("an unreachable Stacks API is named by its URL", async () => {
    const result = await run("audit", "--config", join(dir, "relay.toml"), "--json", join(dir, "audit.json"));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^lvdao: Stacks API http:\/\/127\.0\.0\.1:1 unreachable: /);
  });

  it("refuses a bad config with the field's name", async () => {
    const result = await run("relay", "status", "--config", join(dir, "bad.toml"));
    expect(result.code).toBe(78);
    expect(result.err).toContain("stacks.confirmations");
  });

  it("relay status shows the journal, budget, errors and refused proposals", async () => {
    const journal = await openSqliteJournal(join(dir, "relay.db"));
    await journal.actions.insertSeen(
      { id: 3n, kind: "loop-out", payloadHex: "00", eta: 1, expires: 9, attempt: 0 },
      Date.now(),
    );
    await journal.actions.patch(3n, { lastError: "loopd unreachable", lastErrorKind: "retryable" }, Date.now());
    await journal.spend.record(1n, new Date().toISOString().slice(0, 10), 1_250_000n);
    await journal.proposals.note(
      { id: 9n, kind: "channel-open", verdict: "over-limit", detail: "local-sats 1 exceeds" },
      1,
    );
    await journal.close();
    const text = await run("relay", "status", "--config", join(dir, "relay.toml"));
    expect(text.code).toBe(0);
    expect(text.out).toContain("journal (sqlite): seen 1");
    expect(text.out).toContain("#3 loop-out seen attempt 0");
    expect(text.out).toContain("1250000 of 5000000 sats used");
    expect(text.out).toContain("#3 loop-out (retryable) loopd unreachable");
    expect(text.out).toContain("#9 channel-open over-limit");
    const json = JSON.parse((await run("relay", "status", "--config", join(dir, "relay.toml"), "--json")).out) as {
      budget: { usedSats: string };
    };
    expect(json.budget.usedSats).toBe("1250000");
  });

  it("relay status with [ha]: who holds the leadership lease, and this host on standby or leading", async () => {
    const base = readFileSync(join(dir, "relay.toml"), "utf8").replace("relay.db", "ha.db");
    writeFileSync(join(dir, "ha.toml"), `${base}[ha]\nenabled = true\n`);
    const journal = await openSqliteJournal(join(dir, "ha.db"));
    const until = Date.now() + 60_000;
    await journal.jobs.set("lease:leader", JSON.stringify({ owner: "ST1@other-host#41-ab12cd", until }), Date.now());
    const elsewhere = await run("relay", "status", "--config", join(dir, "ha.toml"));
    expect(elsewhere.out).toContain(
      `leader ([ha]): ST1@other-host#41-ab12cd (lease until ${new Date(until).toISOString()})`,
    );
    expect(elsewhere.out).toContain(`this host (${hostname()}): standby`);
    const mine = `ST1@${hostname()}#42-ef34ab`;
    await journal.jobs.set("lease:leader", JSON.stringify({ owner: mine, until }), Date.now());
    const json = JSON.parse((await run("relay", "status", "--config", join(dir, "ha.toml"), "--json")).out) as {
      leader: { instance: string; current: boolean };
      ha: { role: string };
    };
    expect(json.leader).toMatchObject({ instance: mine, current: true });
    expect(json.ha.role).toBe("leader");
    await journal.close();
  });
});

// High availability on the real stack: two `lvdao relay start` with [ha] on one PostgreSQL journal (a real server on
// loopback) in front of real lnd and tapd (regtest) and the node emulation. The leader is SIGKILLed once lnd's
// OpenChannel has answered and before the answer is journaled (test/kill-at-pg.mjs); the standby takes the lease,
// reconciles the channel by its memo and reports it: exactly one channel on lnd, exactly one receipt on-chain.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import { getChannels, getPendingChannels } from "lightning";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEPLOYER, passAction, readOnly } from "../../devnet/governance.ts";
import { spawnLvdao, type RelayProcess } from "./cli-process.ts";
import { freshDatabase, journalState, leads, standsBy, withHa } from "./ha-support.ts";
import { startTestPostgres, type TestPostgres } from "./postgres.ts";
import { startRegtestRelayStack, type RegtestRelayStack } from "./regtest-stack.ts";
import { until } from "./wait.ts";

const KILL_AT_PG = resolve(import.meta.dirname, "kill-at-pg.mjs");
const LEASE_MS = 3_000;

let stack: RegtestRelayStack;
let postgres: TestPostgres;
const relays: RelayProcess[] = [];

beforeAll(async () => {
  [stack, postgres] = await Promise.all([startRegtestRelayStack("ha-regtest"), startTestPostgres()]);
}, 300_000);

afterAll(async () => {
  for (const relay of relays) {
    relay.child.kill("SIGKILL");
    await relay.exited;
  }
  await postgres?.stop();
  await stack?.stop();
});

it("channel-open: leader killed after OpenChannel; the standby finishes it, one channel, one receipt", async () => {
  const journalUrl = await freshDatabase(postgres, "ha_regtest");
  const arm = join(stack.dir, "kill.arm");
  const spawn = (name: string): RelayProcess => {
    const config = withHa(
      stack.writeConfig(name, { monitors: { enabled: false }, executor: { recovery_grace_ms: 500 } }),
      journalUrl,
      LEASE_MS,
    );
    const relay = spawnLvdao(["relay", "start", "--config", config], {
      nodeOptions: ["--import", KILL_AT_PG],
      env: { ...process.env, RELAY_FAULT_KILL_COLUMN: "daemon_ref", RELAY_FAULT_KILL_ARM: arm },
    });
    relays.push(relay);
    return relay;
  };
  const leader = spawn("ha-a");
  await leads(leader);
  const standby = spawn("ha-b");
  await standsBy(standby);

  writeFileSync(arm, "");
  const peer = stack.lightning.nodes.peer;
  const payload = Cl.tuple({
    peer: Cl.buffer(Buffer.from(peer.pubkey, "hex")),
    host: Cl.stringAscii(peer.p2p_host),
    "local-sats": Cl.uint(1_000_000),
    "push-sats": Cl.uint(0),
    private: Cl.bool(false),
    "base-fee-msat": Cl.uint(1_000),
    "fee-ppm": Cl.uint(10),
    "cltv-delta": Cl.uint(40),
  });
  const id = await passAction(stack.devnet, "channel-open", Buffer.from(serializeCV(payload), "hex"), "ha regtest");
  const ended = await Promise.race([
    leader.exited,
    new Promise<undefined>((done) => setTimeout(() => done(undefined), 180_000)),
  ]);
  expect(ended?.signal, `the leader should die after OpenChannel\n${leader.output().slice(-3000)}`).toBe("SIGKILL");
  expect(await journalState(journalUrl, id)).toBe("executing");

  await leads(standby, Date.now() - 1_000);
  await until(
    `#${id} reported by the new leader`,
    async () => (await journalState(journalUrl, id)) === "reported",
    240_000,
  );
  expect(await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');

  const memo = `lvdao:${id}`;
  const lnd = stack.lightning.lnd.dao;
  const pending = (await getPendingChannels({ lnd })).pending_channels.filter((c) => c.description === memo);
  const open = (await getChannels({ lnd })).channels.filter(
    (c) => (c as { description?: string }).description === memo,
  );
  expect(new Set([...pending, ...open].map((c) => `${c.transaction_id}:${c.transaction_vout}`)).size).toBe(1);

  const reports = [...stack.devnet.chain.txs.values()].filter((r) => {
    if (r.tx.payload.kind !== "contract_call" || r.tx.payload.contractId !== `${DEPLOYER}.execution-queue`)
      return false;
    const call = r.tx.payload as { functionName: string; args: { value: unknown }[] };
    return (
      ["report-success", "report-failure"].includes(call.functionName) && BigInt(call.args[0]!.value as bigint) === id
    );
  });
  expect(reports.map((r) => [(r.tx.payload as { functionName: string }).functionName, r.status])).toEqual([
    ["report-success", "success"],
  ]);
  expect(standby.output()).toContain("reconciled interrupted actions as the new leader");
  expect(leader.output()).not.toContain("reconciled interrupted actions");
  const printed = `${leader.output()}\n${standby.output()}`;
  const macaroon = readFileSync(stack.lightning.nodes.dao.lnd_macaroon_path!);
  for (const secret of [
    macaroon.toString("hex"),
    macaroon.toString("base64"),
    stack.devnet.account("wallet_6").privateKey,
  ])
    expect(printed).not.toContain(secret.slice(0, 64));
});

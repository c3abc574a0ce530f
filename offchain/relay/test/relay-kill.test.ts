// Fault injection, process level: the relay runs as `lvdao relay start` (bin/lvdao.mjs) against real peers (the node
// emulation with the real contracts, the lnd/tapd simulators, the loopd simulator) and is SIGKILLed at one journal
// write at a time (test/kill-at.mjs): 13 points across channel-open, lv-transfer and loop-out, and 2 with several
// fee-policy actions in flight at once (executor.max_in_flight). A second process on the same journal must finish
// every action. Each time: exactly one channel / transfer / swap on the daemons, exactly
// one receipt transaction on-chain, and the proposal `executed`. Every line both processes printed is then scanned
// for macaroons and key material.
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { Cl, serializeCV } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import { connectLoop, createAddress, listSwaps, mintGroupedAsset } from "../../lightning/index.ts";
import { spawnLvdao, type RelayProcess } from "./cli-process.ts";
import { DEPLOYER, passAction, passConvictionAction, readOnly, send } from "../../devnet/governance.ts";
import { startIntegrationStack, type IntegrationStack } from "./integration-stack.ts";
import { queueFeePolicies } from "./fee-policies.ts";
import { channelsWithMemo, transfersLabelled } from "./sim-effects.ts";
import { expectNoSecrets } from "./secret-scan.ts";
import { until } from "./wait.ts";

const KILL_AT = resolve(import.meta.dirname, "kill-at.mjs");

interface KillPoint {
  name: string;
  spec:
    | { when: "before" | "after"; op: "transition"; from: string; to: string }
    | { when: "before" | "after"; op: "patch"; column: string };
}

const point = {
  claimBroadcast: {
    name: "claim broadcast, its txid journaled",
    spec: { when: "after", op: "patch", column: "claim_txid" },
  },
  claimed: {
    name: "claim confirmed and journaled",
    spec: { when: "after", op: "transition", from: "seen", to: "claimed" },
  },
  executing: {
    name: "executing journaled, daemon not called yet",
    spec: { when: "after", op: "transition", from: "claimed", to: "executing" },
  },
  daemonActed: {
    name: "daemon acted, its answer not journaled",
    spec: { when: "before", op: "patch", column: "daemon_ref" },
  },
  done: { name: "result journaled (done)", spec: { when: "after", op: "transition", from: "executing", to: "done" } },
  receiptBroadcast: {
    name: "receipt broadcast, its txid journaled",
    spec: { when: "after", op: "patch", column: "report_txid" },
  },
  receiptConfirmed: {
    name: "receipt confirmed, reported not journaled",
    spec: { when: "before", op: "transition", from: "done", to: "reported" },
  },
} satisfies Record<string, KillPoint>;

let stack: IntegrationStack;
let lvAssetId = "";
const outputs: string[] = [];
let scenario = 0;

beforeAll(async () => {
  stack = await startIntegrationStack("relay-kill");
  const { asset } = await mintGroupedAsset({ tapd: stack.sim.tapd.dao, name: "LV", amount: 1_000_000n });
  lvAssetId = asset.assetId;
  await until("the LV mint to confirm", async () => {
    const { assets } = await unaryCall(stack.sim.tapd.dao.assets, "ListAssets", {}, { daemon: "tapd", action: "test" });
    return (assets as unknown[]).length > 0;
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function stopped(process: RelayProcess): Promise<void> {
  process.child.kill("SIGTERM");
  await process.exited;
  outputs.push(process.output());
}

function journalState(path: string, id: bigint): string | undefined {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT state FROM actions WHERE id = ?").get(id) as { state: string } | undefined)?.state;
  } finally {
    db.close();
  }
}

/** Every receipt transaction the chain holds for action `id`, whatever its outcome. */
function receipts(id: bigint): { fn: string; status: string }[] {
  return [...stack.devnet.chain.txs.values()]
    .filter((r) => r.tx.payload.kind === "contract_call" && r.tx.payload.contractId === `${DEPLOYER}.execution-queue`)
    .filter((r) => {
      const payload = r.tx.payload as { functionName: string; args: { value: unknown }[] };
      return (
        ["report-success", "report-failure"].includes(payload.functionName) &&
        BigInt(payload.args[0]!.value as bigint) === id
      );
    })
    .map((r) => ({ fn: (r.tx.payload as { functionName: string }).functionName, status: r.status }));
}

/** Runs a relay that dies at `kill`, then a second one on the same journal until the action is reported. */
async function crashAndRecover(id: bigint, kill: KillPoint): Promise<void> {
  const name = `kill-${++scenario}`;
  const configPath = stack.writeConfig(name, {
    monitors: { enabled: false },
    lvAssetId,
    executor: { recovery_grace_ms: 500 },
  });
  const journalPath = join(stack.dir, `${name}.db`);
  const first = spawnLvdao(["relay", "start", "--config", configPath], {
    nodeOptions: ["--import", KILL_AT],
    env: { ...process.env, RELAY_FAULT_KILL_AT: JSON.stringify(kill.spec) },
  });
  const ended = await Promise.race([
    first.exited,
    new Promise<undefined>((done) => setTimeout(() => done(undefined), 90_000)),
  ]);
  outputs.push(first.output());
  if (!ended) {
    first.child.kill("SIGKILL");
    throw new Error(`the relay did not reach "${kill.name}" within 90 s:\n${first.output().slice(-3000)}`);
  }
  expect(ended.signal, `the first relay should die at "${kill.name}"\n${first.output().slice(-2000)}`).toBe("SIGKILL");
  expect(journalState(journalPath, id)).not.toBe("reported");

  const second = spawnLvdao(["relay", "start", "--config", configPath]);
  try {
    await until(`#${id} reported by the restarted relay`, () => journalState(journalPath, id) === "reported", 90_000);
  } finally {
    await stopped(second);
  }
  expect(await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
  expect(receipts(id)).toEqual([{ fn: "report-success", status: "success" }]);
}

const channelOpen = () =>
  Buffer.from(
    serializeCV(
      Cl.tuple({
        peer: Cl.buffer(Buffer.from(stack.sim.nodes.peer.pubkey, "hex")),
        host: Cl.stringAscii(stack.sim.nodes.peer.p2p_host),
        "local-sats": Cl.uint(1_000_000),
        "push-sats": Cl.uint(0),
        private: Cl.bool(false),
        "base-fee-msat": Cl.uint(1_000),
        "fee-ppm": Cl.uint(10),
        "cltv-delta": Cl.uint(40),
      }),
    ),
    "hex",
  );

describe("relay killed with SIGKILL at each journal write, restarted on the same journal", () => {
  describe.each([
    point.claimBroadcast,
    point.claimed,
    point.executing,
    point.daemonActed,
    point.done,
    point.receiptBroadcast,
    point.receiptConfirmed,
  ])("channel-open: $name", (kill) => {
    it("ends with exactly one channel carrying the memo and exactly one receipt", async () => {
      const id = await passAction(stack.devnet, "channel-open", channelOpen(), `kill: ${kill.name}`);
      await crashAndRecover(id, kill);
      expect(await channelsWithMemo(stack.sim, `lvdao:${id}`)).toBe(1);
    }, 240_000);
  });

  describe.each([point.executing, point.daemonActed, point.receiptBroadcast])("lv-transfer: $name", (kill) => {
    it("ends with exactly one labelled tapd transfer and exactly one receipt", async () => {
      const payload = Buffer.from(
        serializeCV(
          Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(1_000) }),
        ),
        "hex",
      );
      const id = await passConvictionAction(stack.devnet, "lv-transfer", payload, `kill: ${kill.name}`, 1_000_000n);
      // The stakes come back, so the next conviction vote can stake them again.
      for (const wallet of ["wallet_2", "wallet_3", "wallet_4"])
        await send(stack.devnet, wallet, "conviction-voting", "unstake", [Cl.uint(id), Cl.uint(900_000_000_000n)]);
      await crashAndRecover(id, kill);
      expect(await transfersLabelled(stack.sim, `lvdao:${id}`)).toBe(1);
    }, 240_000);
  });

  describe.each([point.executing, point.daemonActed, point.receiptConfirmed])("loop-out: $name", (kill) => {
    it("ends with exactly one swap labelled lvdao:<id> in loopd and exactly one receipt", async () => {
      if (!stack.hasLoop) throw new Error("the loopd simulator (offchain/regtest/loopd-sim) is not available");
      const dest = await createAddress({ lnd: stack.sim.lnd.dao, format: "p2wpkh" });
      const payload = Buffer.from(
        serializeCV(
          Cl.tuple({
            "amount-sats": Cl.uint(300_000),
            channel: Cl.none(),
            dest: Cl.stringAscii(dest),
            "max-fee-sats": Cl.uint(10_000),
          }),
        ),
        "hex",
      );
      const id = await passAction(stack.devnet, "loop-out", payload, `kill: ${kill.name}`);
      await crashAndRecover(id, kill);
      const loop = connectLoop({
        restUrl: stack.sim.loop!.restUrl,
        cert: stack.sim.loop!.cert,
        macaroonHex: stack.sim.loop!.macaroonHex,
      });
      expect(await listSwaps({ loop, label: `lvdao:${id}` })).toHaveLength(1);
    }, 240_000);
  });

  describe.each([point.claimed, point.receiptBroadcast])("8 fee-policies, 8 in flight: $name", (kill) => {
    it("ends with every action reported once, with exactly one receipt each", async () => {
      const firstId = BigInt(5_000_000 + 100 * scenario);
      const ids = Array.from({ length: 8 }, (_, i) => firstId + BigInt(i));
      const name = `kill-${++scenario}`;
      const configPath = stack.writeConfig(name, {
        monitors: { enabled: false },
        lvAssetId,
        executor: { recovery_grace_ms: 500, max_in_flight: 8 },
      });
      const journalPath = join(stack.dir, `${name}.db`);
      await queueFeePolicies(stack.devnet, `kill-fee-policies-${scenario}`, firstId, ids.length);
      const first = spawnLvdao(["relay", "start", "--config", configPath], {
        nodeOptions: ["--import", KILL_AT],
        env: { ...process.env, RELAY_FAULT_KILL_AT: JSON.stringify(kill.spec) },
      });
      const ended = await Promise.race([
        first.exited,
        new Promise<undefined>((done) => setTimeout(() => done(undefined), 90_000)),
      ]);
      outputs.push(first.output());
      if (!ended) {
        first.child.kill("SIGKILL");
        throw new Error(`the relay did not reach "${kill.name}" within 90 s:\n${first.output().slice(-3000)}`);
      }
      expect(ended.signal).toBe("SIGKILL");
      // The first relay had taken several actions: more than one was claimed (on-chain) when it died.
      const claimedOnChain = [];
      for (const id of ids) {
        const action = await readOnly(stack.devnet, "execution-queue", "get-action", [Cl.uint(id)]);
        if (!action.includes('(status "queued")')) claimedOnChain.push(id);
      }
      expect(claimedOnChain.length).toBeGreaterThan(1);
      expect(ids.filter((id) => journalState(journalPath, id) === "reported").length).toBeLessThan(ids.length);

      const second = spawnLvdao(["relay", "start", "--config", configPath]);
      try {
        await until(
          "every fee-policy reported by the restarted relay",
          () => ids.every((id) => journalState(journalPath, id) === "reported"),
          120_000,
        );
      } finally {
        await stopped(second);
      }
      const db = new Database(journalPath, { readonly: true, fileMustExist: true });
      try {
        for (const id of ids) {
          const moves = db
            .prepare("SELECT to_state FROM transitions WHERE action_id = ? AND to_state = 'reported'")
            .all(id) as unknown[];
          expect(moves, `#${id} reported once in the journal`).toHaveLength(1);
        }
      } finally {
        db.close();
      }
      for (const id of ids) {
        expect(receipts(id), `#${id}'s receipts`).toEqual([{ fn: "report-success", status: "success" }]);
        expect(await readOnly(stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
          '(status "executed")',
        );
      }
    }, 300_000);
  });

  it("no process printed a macaroon or key material", () => {
    const text = outputs.join("\n");
    expect(scenario).toBeGreaterThan(0);
    expect(outputs).toHaveLength(2 * scenario);
    expect(text).toContain("relay started");
    expectNoSecrets(text, stack);
  });
});

// High availability, process level: two `lvdao relay start` processes with [ha] enabled share one PostgreSQL journal
// (a real server on loopback) in front of the node emulation and the lnd/tapd/loopd simulators. One leads, the other
// stands by.
// - Failover: for channel-open, lv-transfer, loop-out, loop-in, fee-policy, watchtower and channel-close the leader
//   is SIGKILLed after the daemon acted and before its answer is journaled (so before any receipt,
//   test/kill-at-pg.mjs); the standby takes the lease, reconciles and finishes: exactly one effect on the daemons,
//   exactly one receipt on-chain. The pair is reused: the dead relay comes back as the next standby.
// - Split brain: the leader reaches PostgreSQL through a TCP proxy that is cut, the leader left running. It must fence
//   itself before the standby takes over; its lnd traffic (through a second proxy) ends before the standby's begins.
import { writeFileSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import {
  getChannels,
  getClosedChannels,
  getConnectedWatchtowers,
  getFeeRates,
  getPendingChannels,
  getTowerServerInfo,
} from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import { connectLoop, createAddress, listSwaps, mintGroupedAsset } from "../../lightning/index.ts";
import { DEPLOYER, passAction, passConvictionAction, readOnly, send } from "../../devnet/governance.ts";
import { spawnLvdao, type RelayProcess } from "./cli-process.ts";
import { freshDatabase, journalState, leads, loggedField, standsBy, withHa } from "./ha-support.ts";
import { startIntegrationStack, type IntegrationStack } from "./integration-stack.ts";
import { startTestPostgres, type TestPostgres } from "./postgres.ts";
import { startTcpProxy, type TcpProxy } from "./proxies.ts";
import { expectNoSecrets } from "./secret-scan.ts";
import { channelsWithMemo, transfersLabelled } from "./sim-effects.ts";
import { until } from "./wait.ts";

const KILL_AT_PG = resolve(import.meta.dirname, "kill-at-pg.mjs");
const LEASE_MS = 3_000;

let stack: IntegrationStack;
let postgres: TestPostgres;
let lvAssetId = "";
const running: RelayProcess[] = [];
const outputs: string[] = [];

beforeAll(async () => {
  [stack, postgres] = await Promise.all([startIntegrationStack("ha"), startTestPostgres()]);
  const { asset } = await mintGroupedAsset({ tapd: stack.sim.tapd.dao, name: "LV", amount: 1_000_000n });
  lvAssetId = asset.assetId;
  await until("the LV mint to confirm", async () => {
    const { assets } = await unaryCall(stack.sim.tapd.dao.assets, "ListAssets", {}, { daemon: "tapd", action: "test" });
    return (assets as unknown[]).length > 0;
  });
}, 180_000);

afterAll(async () => {
  for (const relay of running) {
    relay.child.kill("SIGKILL");
    await relay.exited;
  }
  await postgres?.stop();
  await stack?.stop();
});

/** relay.toml for one relay of the group: the PostgreSQL journal at `journalUrl`, [ha] on. */
function haConfig(
  name: string,
  journalUrl: string,
  o: { lndSocket?: string; monitors?: Record<string, number | boolean> } = {},
): string {
  const path = stack.writeConfig(name, {
    monitors: o.monitors ?? { enabled: false },
    lvAssetId,
    executor: { recovery_grace_ms: 500 },
    ...(o.lndSocket ? { lndSocket: o.lndSocket } : {}),
  });
  return withHa(path, journalUrl, LEASE_MS);
}

function spawnRelay(configPath: string, env: NodeJS.ProcessEnv = {}): RelayProcess {
  const relay = spawnLvdao(["relay", "start", "--config", configPath], {
    nodeOptions: ["--import", KILL_AT_PG],
    env: { ...process.env, ...env },
  });
  running.push(relay);
  return relay;
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

/** The channel the channel-open case opened, which the channel-close case closes. */
let opened: { txid: string; vout: number } | undefined;

interface Kind {
  kind: string;
  pass: () => Promise<bigint>;
  /** the action's effects the daemons hold */
  effects: (id: bigint) => Promise<number>;
}

const KINDS: Kind[] = [
  {
    kind: "channel-open",
    pass: () =>
      passAction(
        stack.devnet,
        "channel-open",
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
        ),
        "ha: channel-open",
      ),
    effects: async (id) => {
      const count = await channelsWithMemo(stack.sim, `lvdao:${id}`);
      const { lnd } = stack.sim;
      const pending = (await getPendingChannels({ lnd: lnd.dao })).pending_channels;
      const open = (await getChannels({ lnd: lnd.dao })).channels;
      const channel = [...pending, ...open].find((c) => (c as { description?: string }).description === `lvdao:${id}`);
      if (channel) opened ??= { txid: channel.transaction_id, vout: channel.transaction_vout };
      return count;
    },
  },
  {
    kind: "lv-transfer",
    pass: async () => {
      const payload = Buffer.from(
        serializeCV(
          Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(1_000) }),
        ),
        "hex",
      );
      const id = await passConvictionAction(stack.devnet, "lv-transfer", payload, "ha: lv-transfer", 1_000_000n);
      for (const wallet of ["wallet_2", "wallet_3", "wallet_4"])
        await send(stack.devnet, wallet, "conviction-voting", "unstake", [Cl.uint(id), Cl.uint(900_000_000_000n)]);
      return id;
    },
    effects: (id) => transfersLabelled(stack.sim, `lvdao:${id}`),
  },
  {
    kind: "loop-out",
    pass: async () => {
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
      return passAction(stack.devnet, "loop-out", payload, "ha: loop-out");
    },
    effects: async (id) => {
      const loop = connectLoop({
        restUrl: stack.sim.loop!.restUrl,
        cert: stack.sim.loop!.cert,
        macaroonHex: stack.sim.loop!.macaroonHex,
      });
      return (await listSwaps({ loop, label: `lvdao:${id}` })).length;
    },
  },
  {
    kind: "loop-in",
    pass: () => {
      const payload = Cl.tuple({
        "amount-sats": Cl.uint(250_000),
        "last-hop": Cl.none(),
        "max-fee-sats": Cl.uint(10_000),
      });
      return passAction(stack.devnet, "loop-in", Buffer.from(serializeCV(payload), "hex"), "ha: loop-in");
    },
    effects: async (id) => {
      const loop = connectLoop({
        restUrl: stack.sim.loop!.restUrl,
        cert: stack.sim.loop!.cert,
        macaroonHex: stack.sim.loop!.macaroonHex,
      });
      return (await listSwaps({ loop, label: `lvdao:${id}` })).length;
    },
  },
  {
    kind: "fee-policy",
    pass: () => {
      const payload = Cl.tuple({
        target: Cl.none(),
        "base-fee-msat": Cl.uint(1_234),
        "fee-ppm": Cl.uint(77),
        "inbound-base-discount-msat": Cl.uint(0),
        "inbound-ppm-discount": Cl.uint(0),
        "cltv-delta": Cl.uint(40),
      });
      return passAction(stack.devnet, "fee-policy", Buffer.from(serializeCV(payload), "hex"), "ha: fee-policy");
    },
    // Re-applying a fee policy sets the same fees: its effect is every channel at the policy, and one receipt.
    effects: async () => {
      const { channels } = await getFeeRates({ lnd: stack.sim.lnd.dao });
      const at = channels.filter((c) => c.base_fee_mtokens === "1234" && c.fee_rate === 77);
      return channels.length > 0 && at.length === channels.length ? 1 : 0;
    },
  },
  {
    kind: "watchtower",
    pass: async () => {
      const tower = await getTowerServerInfo({ lnd: stack.sim.lnd.peer });
      const payload = Cl.tuple({
        add: Cl.bool(true),
        pubkey: Cl.buffer(Buffer.from(tower.tower!.public_key, "hex")),
        host: Cl.stringAscii(tower.tower!.sockets[0]!),
      });
      return passAction(stack.devnet, "watchtower", Buffer.from(serializeCV(payload), "hex"), "ha: watchtower");
    },
    effects: async () => {
      const tower = await getTowerServerInfo({ lnd: stack.sim.lnd.peer });
      const { towers } = await getConnectedWatchtowers({ lnd: stack.sim.lnd.dao });
      return towers.filter((t) => t.public_key === tower.tower!.public_key).length;
    },
  },
  {
    kind: "channel-close",
    pass: async () => {
      const channel = opened;
      if (!channel) throw new Error("the channel-open case opened no channel to close");
      await until("the channel to be active", async () =>
        (await getChannels({ lnd: stack.sim.lnd.dao })).channels.some(
          (c) => c.transaction_id === channel.txid && c.transaction_vout === channel.vout && c.is_active,
        ),
      );
      const payload = Cl.tuple({
        txid: Cl.buffer(Buffer.from(channel.txid, "hex")),
        vout: Cl.uint(channel.vout),
        force: Cl.bool(false),
        "max-fee-rate": Cl.uint(10),
      });
      return passAction(stack.devnet, "channel-close", Buffer.from(serializeCV(payload), "hex"), "ha: channel-close");
    },
    effects: async () => {
      const closed = await until("the close to confirm", async () => {
        const { channels } = await getClosedChannels({ lnd: stack.sim.lnd.dao });
        const matching = channels.filter(
          (c) => c.transaction_id === opened!.txid && c.transaction_vout === opened!.vout,
        );
        return matching.length > 0 ? matching : undefined;
      });
      return closed.length;
    },
  },
];

describe("two relays on one PostgreSQL journal: the leader SIGKILLed after the daemon acted", () => {
  let journalUrl = "";
  let configs: string[] = [];
  const arm = () => join(stack.dir, "kill.arm");
  const env = () => ({ RELAY_FAULT_KILL_COLUMN: "daemon_ref", RELAY_FAULT_KILL_ARM: arm() });
  let leader: RelayProcess;
  let standby: RelayProcess;
  let spare = 0;
  const failovers: number[] = [];

  beforeAll(async () => {
    journalUrl = await freshDatabase(postgres, "ha");
    configs = [haConfig("ha-a", journalUrl), haConfig("ha-b", journalUrl)];
    leader = spawnRelay(configs[0]!, env());
    await leads(leader);
    standby = spawnRelay(configs[1]!, env());
    await standsBy(standby);
  }, 120_000);

  it.each(KINDS)(
    "$kind: the standby takes over and completes it exactly once",
    async ({ pass, effects }) => {
      writeFileSync(arm(), "");
      const id = await pass();
      const ended = await Promise.race([
        leader.exited,
        new Promise<undefined>((done) => setTimeout(() => done(undefined), 90_000)),
      ]);
      const diedAt = Date.now();
      outputs.push(leader.output());
      expect(ended?.signal, `the leader should die after the daemon call\n${leader.output().slice(-2000)}`).toBe(
        "SIGKILL",
      );
      expect(await journalState(journalUrl, id)).toBe("executing");
      const tookOverAt = await leads(standby, diedAt - 1_000);
      failovers.push(tookOverAt - diedAt);
      await until(
        `#${id} reported by the new leader`,
        async () => (await journalState(journalUrl, id)) === "reported",
        90_000,
      );
      expect(await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
      expect(receipts(id)).toEqual([{ fn: "report-success", status: "success" }]);
      expect(await effects(id)).toBe(1);
      // The dead relay comes back as the next standby.
      [leader, standby] = [standby, spawnRelay(configs[spare++ % 2]!, env())];
      await standsBy(standby);
    },
    240_000,
  );

  it("each takeover stayed within lease + poll interval + reconciliation", () => {
    expect(failovers).toHaveLength(KINDS.length);
    // Measured from the test seeing the exit to the new leader's start line: bounded by the lease, its poll
    // (a third of it) and recover(); generous for a loaded machine, the figures are the benchmark's.
    for (const ms of failovers) expect(ms).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 10_000);
    console.log(`ha failovers (ms): ${failovers.join(", ")}`);
  });

  afterAll(async () => {
    // The next groups run on other journals: this pair must not compete for their actions.
    for (const relay of [leader, standby]) {
      relay.child.kill("SIGKILL");
      await relay.exited;
    }
  });

  it("no process printed a macaroon or key material", () => {
    const text = [...outputs, leader.output(), standby.output()].join("\n");
    expect(text).toContain("took the relay leadership");
    expectNoSecrets(text, stack);
  });
});

describe("split brain: the leader cut from PostgreSQL, not killed", () => {
  it("fences itself before the standby takes over; its daemon traffic ends before the standby's begins", async () => {
    const journalUrl = await freshDatabase(postgres, "ha");
    const pgProxy: TcpProxy = await startTcpProxy(new URL(journalUrl).host);
    const leaderLnd = await startTcpProxy(stack.sim.nodes.dao.lnd_socket);
    const standbyLnd = await startTcpProxy(stack.sim.nodes.dao.lnd_socket);
    try {
      // The liquidity monitor calls lnd every round, so the leader talks to lnd until it stops acting.
      const monitors = { enabled: true, liquidity_poll_ms: 200 };
      const proxied = journalUrl.replace(new URL(journalUrl).host, pgProxy.address);
      const leader = spawnRelay(haConfig("split-a", proxied, { lndSocket: leaderLnd.address, monitors }));
      await leads(leader);
      const standby = spawnRelay(haConfig("split-b", journalUrl, { lndSocket: standbyLnd.address, monitors }));
      await standsBy(standby);
      await until("the leader to call lnd", () => leaderLnd.sent.length > 0, 30_000);
      expect(standbyLnd.sent).toHaveLength(0);

      const cutAt = Date.now();
      pgProxy.down();
      const tookOverAt = await leads(standby, cutAt);
      // The moment fenced() turned true (the line itself may be written later on a loaded machine).
      const since = loggedField(leader, "fenced: stopped acting and standing by", "fenced_since", cutAt);
      expect(since, leader.output().slice(-3000)).toBeDefined();
      const fencedAt = Date.parse(since as string);
      const tookLeaseAt = Date.parse(loggedField(standby, "took the relay leadership", "time", cutAt) as string);
      expect(fencedAt).toBeLessThan(tookLeaseAt);
      // The new leader acts: a channel-open passed now is its, and reaches lnd through its own proxy.
      const id = await KINDS[0]!.pass();
      await until(
        `#${id} reported by the new leader`,
        async () => (await journalState(journalUrl, id)) === "reported",
        90_000,
      );
      expect(await KINDS[0]!.effects(id)).toBe(1);
      expect(standbyLnd.sent.length).toBeGreaterThan(0);
      // Let the fenced relay run on a while: it must stay quiet.
      await new Promise((done) => setTimeout(done, LEASE_MS));
      const leaderLast = Math.max(...leaderLnd.sent.map((s) => s.at));
      const standbyFirst = Math.min(...standbyLnd.sent.map((s) => s.at));
      expect(leaderLast).toBeLessThan(standbyFirst);
      expect(leaderLnd.sent.filter((s) => s.at >= fencedAt)).toEqual([]);
      expect(leader.child.exitCode, "the cut leader keeps running, on standby").toBeNull();
      expect(leader.output()).toContain("standing by");
      outputs.push(leader.output(), standby.output());
      console.log(
        `split brain: fenced ${fencedAt - cutAt} ms after the cut, standby led ${tookOverAt - cutAt} ms after; ` +
          `leader's lnd traffic after the cut: ${leaderLnd.sent.filter((s) => s.at > cutAt).length} chunk(s)`,
      );
    } finally {
      for (const relay of running.slice(-2)) relay.child.kill("SIGKILL");
      await Promise.all(running.slice(-2).map((relay) => relay.exited));
      await Promise.all([pgProxy.stop(), leaderLnd.stop(), standbyLnd.stop()]);
    }
  }, 180_000);
});

/** The successful calls of `fn` on the execution queue for action `id`. */
function queueCalls(fn: string, id: bigint): number {
  return [...stack.devnet.chain.txs.values()].filter((r) => {
    if (r.tx.payload.kind !== "contract_call" || r.tx.payload.contractId !== `${DEPLOYER}.execution-queue`)
      return false;
    const payload = r.tx.payload as { functionName: string; args: { value: unknown }[] };
    return payload.functionName === fn && BigInt(payload.args[0]!.value as bigint) === id && r.status === "success";
  }).length;
}

describe("two operators: relays of different Stacks identities and journals on one queue", () => {
  it("each action is executed once; the on-chain claim lease keeps them apart", async () => {
    // A second registered relay: wallet_5, enabled by a relay-set proposal (a chain kind, applied at its conclude).
    const relaySet = Cl.tuple({
      relay: Cl.principal(stack.devnet.account("wallet_5").address),
      enabled: Cl.bool(true),
    });
    const enable = await passAction(stack.devnet, "relay-set", Buffer.from(serializeCV(relaySet), "hex"), "operator b");
    await stack.devnet.mine({ burn: 12 });
    await send(stack.devnet, "wallet_3", "proposals", "conclude", [Cl.uint(enable)]);
    await until("wallet_5 to be a relay", async () =>
      (await readOnly(stack.devnet, "execution-queue", "is-relay", [
        Cl.principal(stack.devnet.account("wallet_5").address),
      ])) === "true"
        ? true
        : undefined,
    );
    writeFileSync(join(stack.dir, "relay-b.key"), stack.devnet.account("wallet_5").privateKey);
    const journals = [await freshDatabase(postgres, "ha"), await freshDatabase(postgres, "ha")];
    const configA = haConfig("operator-a", journals[0]!);
    const configB = haConfig("operator-b", journals[1]!);
    writeFileSync(
      configB,
      readFileSync(configB, "utf8").replace('relay_key_file = "relay.key"', 'relay_key_file = "relay-b.key"'),
    );
    expect(readFileSync(configB, "utf8")).toContain("relay-b.key");
    const relays = [spawnRelay(configA), spawnRelay(configB)];
    try {
      await Promise.all(relays.map((relay) => leads(relay)));
      const ids: bigint[] = [];
      for (let i = 0; i < 3; i++) ids.push(await KINDS[0]!.pass());
      for (const id of ids) {
        await until(
          `#${id} executed`,
          async () =>
            (await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])) === '(ok "executed")'
              ? true
              : undefined,
          120_000,
        );
        // Reported by exactly one operator's relay; the other closes it without acting.
        await until(
          `#${id} settled in both journals`,
          async () => {
            const states = await Promise.all(journals.map((url) => journalState(url, id)));
            return states.every((s) => s === "reported" || s === "closed") ? states : undefined;
          },
          60_000,
        );
        const states = await Promise.all(journals.map((url) => journalState(url, id)));
        expect(states.sort()).toEqual(["closed", "reported"]);
        expect(queueCalls("claim", id)).toBe(1);
        expect(receipts(id)).toEqual([{ fn: "report-success", status: "success" }]);
        expect(await channelsWithMemo(stack.sim, `lvdao:${id}`)).toBe(1);
      }
      outputs.push(...relays.map((relay) => relay.output()));
    } finally {
      for (const relay of relays) relay.child.kill("SIGKILL");
      await Promise.all(relays.map((relay) => relay.exited));
    }
  }, 400_000);
});

// Fault injection, network level, against real peers (node emulation + lnd/tapd simulators): lnd unreachable for 60 s
// while an action needs it (retried, completed once lnd is back), and the Stacks API answering 500 to 30% of requests
// (the relay converges: every action executed once, one receipt each).
import { Cl, serializeCV } from "@stacks/transactions";
import { getChannels, getPendingChannels } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTowerServerInfo } from "../../lightning/index.ts";
import { loadConfig } from "../config.ts";
import { memoryLogger } from "../log.ts";
import { startRelay, type RelayRuntime } from "../start.ts";
import { DEPLOYER, passAction, readOnly } from "../../devnet/governance.ts";
import { startIntegrationStack, type IntegrationStack } from "./integration-stack.ts";
import { expectNoSecrets } from "./secret-scan.ts";
import { startFlakyHttpProxy, startTcpProxy } from "./proxies.ts";
import { until } from "./wait.ts";

let stack: IntegrationStack;
const logs: ReturnType<typeof memoryLogger>[] = [];

beforeAll(async () => {
  stack = await startIntegrationStack("relay-outages");
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const tuple = (fields: Parameters<typeof Cl.tuple>[0]) => Buffer.from(serializeCV(Cl.tuple(fields)), "hex");

function channelOpen(localSats: number): Buffer {
  return tuple({
    peer: Cl.buffer(Buffer.from(stack.sim.nodes.peer.pubkey, "hex")),
    host: Cl.stringAscii(stack.sim.nodes.peer.p2p_host),
    "local-sats": Cl.uint(localSats),
    "push-sats": Cl.uint(0),
    private: Cl.bool(false),
    "base-fee-msat": Cl.uint(1_000),
    "fee-ppm": Cl.uint(10),
    "cltv-delta": Cl.uint(40),
  });
}

async function channelsWithMemo(memo: string): Promise<number> {
  const { lnd } = stack.sim;
  const pending = (await getPendingChannels({ lnd: lnd.dao })).pending_channels.filter((c) => c.description === memo);
  const open = (await getChannels({ lnd: lnd.dao })).channels.filter(
    (c) => (c as { description?: string }).description === memo,
  );
  return new Set([...pending, ...open].map((c) => `${c.transaction_id}:${c.transaction_vout}`)).size;
}

function receipts(id: bigint): string[] {
  return [...stack.devnet.chain.txs.values()]
    .filter((r) => r.tx.payload.kind === "contract_call" && r.tx.payload.contractId === `${DEPLOYER}.execution-queue`)
    .filter((r) => {
      const payload = r.tx.payload as { functionName: string; args: { value: unknown }[] };
      return (
        ["report-success", "report-failure"].includes(payload.functionName) &&
        BigInt(payload.args[0]!.value as bigint) === id
      );
    })
    .map((r) => `${(r.tx.payload as { functionName: string }).functionName}:${r.status}`);
}

async function relayWith(
  name: string,
  options: Parameters<IntegrationStack["writeConfig"]>[1],
): Promise<{ relay: RelayRuntime; log: ReturnType<typeof memoryLogger> }> {
  const log = memoryLogger();
  logs.push(log);
  const { config, secrets } = loadConfig(stack.writeConfig(name, options), {});
  return { relay: await startRelay(config, { secrets, logSink: (line) => log.lines.push(line) }), log };
}

describe("relay under network faults", () => {
  it("lnd unreachable for 60 s: the channel-open is retried and completes once lnd is back, exactly once", async () => {
    const proxy = await startTcpProxy(stack.sim.nodes.dao.lnd_socket);
    const { relay, log } = await relayWith("lnd-outage", {
      lndSocket: proxy.address,
      executor: { recovery_grace_ms: 1_000, max_backoff_ms: 5_000 },
    });
    try {
      proxy.down();
      const downAt = Date.now();
      const id = await passAction(stack.devnet, "channel-open", channelOpen(1_200_000), "open while lnd is down");
      const retried = await until("the relay to retry against the unreachable lnd", async () => {
        const row = await relay.journal.actions.get(id);
        return row && row.errorCount >= 3 && row.lastErrorKind === "retryable" ? row : undefined;
      });
      expect(retried.state).toBe("executing");
      expect(retried.lastError).toMatch(/lnd/i);
      await new Promise((resume) => setTimeout(resume, Math.max(0, 60_000 - (Date.now() - downAt))));
      expect(await relay.journal.actions.get(id)).toMatchObject({ state: "executing" });
      proxy.up();
      await until(
        `#${id} reported after lnd came back`,
        async () => (await relay.journal.actions.get(id))?.state === "reported",
        180_000,
      );
      expect(Date.now() - downAt).toBeGreaterThanOrEqual(60_000);
      expect(proxy.refused).toBeGreaterThan(0);
      expect(await channelsWithMemo(`lvdao:${id}`)).toBe(1);
      expect(await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
      expect(receipts(id)).toEqual(["report-success:success"]);
      expect(log.lines.filter((l) => l.includes("job step failed; will retry")).length).toBeGreaterThanOrEqual(3);
      expect(
        relay.metrics.daemonErrors.get({ daemon: "lnd", method: "listChannels", class: "retryable" }) +
          relay.metrics.daemonErrors.get({ daemon: "lnd", method: "connectPeer", class: "retryable" }),
      ).toBeGreaterThan(0);
    } finally {
      await relay.stop();
      await proxy.stop();
    }
  }, 360_000);

  it("the Stacks API answers 500 to 30% of requests: three actions still execute once, one receipt each", async () => {
    const api = await startFlakyHttpProxy(stack.devnet.url, { failureRate: 0.3, seed: 20_251_125 });
    const { relay } = await relayWith("flaky-api", { apiUrl: api.url, executor: { max_backoff_ms: 1_000 } });
    try {
      const tower = (await getTowerServerInfo({ lnd: stack.sim.lnd.peer }))!;
      const ids = [
        await passAction(stack.devnet, "channel-open", channelOpen(1_100_000), "open through a flaky API"),
        await passAction(
          stack.devnet,
          "watchtower",
          tuple({
            add: Cl.bool(true),
            pubkey: Cl.buffer(Buffer.from(tower.pubkey, "hex")),
            host: Cl.stringAscii(tower.sockets[0]!),
          }),
          "tower",
        ),
        await passAction(
          stack.devnet,
          "fee-policy",
          tuple({
            target: Cl.none(),
            "base-fee-msat": Cl.uint(2_000),
            "fee-ppm": Cl.uint(20),
            "inbound-base-discount-msat": Cl.uint(0),
            "inbound-ppm-discount": Cl.uint(0),
            "cltv-delta": Cl.uint(40),
          }),
          "fees",
        ),
      ];
      for (const id of ids)
        await until(
          `#${id} reported through the flaky API`,
          async () => (await relay.journal.actions.get(id))?.state === "reported",
          180_000,
        );
      for (const id of ids) {
        expect(await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
        expect(receipts(id)).toEqual(["report-success:success"]);
      }
      expect(await channelsWithMemo(`lvdao:${ids[0]}`)).toBe(1);
      const share = api.stats.failed / (api.stats.failed + api.stats.forwarded);
      expect(api.stats.failed).toBeGreaterThan(20);
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.4);
    } finally {
      await relay.stop();
      await api.stop();
    }
  }, 360_000);

  it("no relay printed a macaroon or key material", () => {
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.flatMap((log) => log.lines).join("\n");
    expect(text).toContain("relay started");
    expectNoSecrets(text, stack);
  });
});

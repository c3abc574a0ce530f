// The lvdao project itself (not the fixture) on the node emulation: `--seed-demo`'s proposals, made through signed
// transactions over HTTP, end in the states it promises. Without a Lightning side only the chain proposals are made;
// with one (the simulators' gRPC servers, and the real relay as `npm start` runs it) the channel-open, fee-policy and
// watchtower proposals name the running stack's peer, channel and tower, and the relay carries each one out.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cl, cvToString, fetchCallReadOnlyFunction } from "@stacks/transactions";
import { outpointString } from "../../lightning/index.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import type { ApiContractLogs } from "../api-types.ts";
import { readDemoTargets, type DemoTargets } from "../demo-targets.ts";
import { startDevnet, type Devnet } from "../index.ts";
import { DEMO_OUTCOMES, DEMO_STATUSES, seedDemo, type SeededProposal } from "../seed-demo.ts";
import { moduleStep, type StartedStep } from "../start-steps.ts";

const PROJECT = fileURLToPath(new URL("../../..", import.meta.url));

const read = (devnet: Devnet, contractName: string, functionName: string, functionArgs: ReturnType<typeof Cl.uint>[]) =>
  fetchCallReadOnlyFunction({
    contractAddress: devnet.account("deployer").address,
    contractName,
    functionName,
    functionArgs,
    senderAddress: devnet.account("deployer").address,
    network: "testnet",
    client: { baseUrl: devnet.url },
  });

const statusOf = async (devnet: Devnet, id: bigint): Promise<string> =>
  cvToString(await read(devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).replace(/^\(ok "(.*)"\)$/, "$1");

describe("npm start -- --seed-demo without a Lightning side", () => {
  let devnet: Devnet;
  let seeded: SeededProposal[];
  const progress: string[] = [];
  beforeAll(async () => {
    devnet = await startDevnet({ projectDir: PROJECT, port: 0, blockTimeMs: 0, burnBlockTimeMs: 0 });
    seeded = await seedDemo(devnet, (line) => progress.push(line));
  }, 180_000);
  afterAll(async () => {
    await devnet?.stop();
  });

  it("leaves proposals 1..4 executed, defeated, active and pending, and makes no Lightning proposal", () => {
    expect(seeded.map((p) => p.id)).toEqual([1n, 2n, 3n, 4n]);
    expect(seeded.map((p) => p.kind)).toEqual(["setting", "setting", "setting", "setting"]);
    expect(seeded.map((p) => p.status)).toEqual([...DEMO_STATUSES.chain]);
    expect(progress.some((line) => line.includes("proposal 4") && line.includes("pending"))).toBe(true);
  });

  it("really applied the executed proposal's setting", async () => {
    expect(
      cvToString(await read(devnet, "dao-settings", "get-setting", [Cl.stringAscii("max-fee-ppm") as never])),
    ).toContain("u4000");
  });

  it("reads a proposal back through call-read and shows proposal-created in the logs route", async () => {
    const proposal = cvToString(await read(devnet, "proposals", "get-proposal", [Cl.uint(2)]));
    expect(proposal).toContain(`(proposer ${devnet.account("wallet_2").address})`);
    expect(proposal).toContain('(title u"Halve the Loop swap ceiling")');

    const deployer = devnet.account("deployer").address;
    const response = await fetch(`${devnet.url}/extended/v2/smart-contracts/${deployer}.proposals/logs?limit=50`);
    expect(response.status).toBe(200);
    const logs = (await response.json()) as ApiContractLogs;
    const reprs = logs.results.map((log) => ("contract_log" in log ? log.contract_log.value.repr : ""));
    const created = reprs.filter((repr) => repr.includes('(topic "proposal-created")'));
    expect(created).toHaveLength(4);
    expect(created.some((repr) => repr.includes("(id u2)") && repr.includes(devnet.account("wallet_2").address))).toBe(
      true,
    );
  });
});

describe("npm start -- --seed-demo with the simulators and the relay", () => {
  let devnet: Devnet;
  let sim: SimulatorHandle;
  let relay: StartedStep;
  let stateDir: string;
  let targets: DemoTargets;
  let seeded: SeededProposal[];
  let mining: NodeJS.Timeout | undefined;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "lvdao-seed-demo-"));
    devnet = await startDevnet({ projectDir: PROJECT, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
    sim = await startSimulators({ stateDir, channelConfirmations: 1, blockIntervalMs: 0 });
    const started = await moduleStep("relay", "relay/devnet-step.ts").start({
      devnet,
      services: { stacksApi: devnet.url, ...sim.services },
      progress: () => undefined,
      relayDir: join(stateDir, "relay"),
    });
    if ("unavailable" in started) throw new Error(`relay step unavailable: ${started.unavailable}`);
    relay = started;
    targets = await readDemoTargets(sim.stack);
    seeded = await seedDemo(devnet, () => undefined, targets);
    // the Lightning chain confirms the relay's channel open
    mining = setInterval(() => void sim.mine(1).catch(() => undefined), 200);
  }, 240_000);
  afterAll(async () => {
    clearInterval(mining);
    await relay?.stop();
    await sim?.stop();
    await devnet?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("targets the running stack: the peer's P2P address, its watchtower, and a channel dao has open", () => {
    expect(targets.peer).toEqual({ pubkey: sim.nodes.peer.pubkey, host: sim.nodes.peer.p2p_host });
    expect(targets.peer.host).not.toBe("127.0.0.1:9735");
    expect(targets.tower.pubkey).toBe(sim.simulation.lnd.peer.towerKeys?.publicKey);
    expect(targets.tower.host).toBe(sim.simulation.lnd.peer.towerHost);
    const daoChannels = sim.simulation.network.channels
      .filter((c) => c.opener.name === "dao" || c.partner.name === "dao")
      .map((c) => `${c.txid}:${c.vout}`);
    expect(daoChannels).toContain(outpointString(targets.channel));
  });

  it("seeds seven proposals, the three Lightning ones queued for the relay", () => {
    expect(seeded.map((p) => p.id)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(seeded.map((p) => p.kind)).toEqual([
      "setting",
      "setting",
      "channel-open",
      "fee-policy",
      "watchtower",
      "setting",
      "setting",
    ]);
    expect(seeded.map((p) => p.status)).toEqual([...DEMO_STATUSES.lightning]);
  });

  it("ends with every seeded action executed by the relay or clearly pending", async () => {
    const deadline = Date.now() + 90_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(seeded.map((p) => statusOf(devnet, p.id)));
      if (statuses.join() === DEMO_OUTCOMES.lightning.join()) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(statuses).toEqual([...DEMO_OUTCOMES.lightning]);
    // what the receipts claim is on the node
    const dao = sim.simulation.lnd.dao;
    expect([...dao.towers.keys()]).toContain(targets.tower.pubkey);
    const opened = sim.simulation.network.channels.find((c) => c.memo === "lvdao:3");
    expect(opened?.capacity).toBe(1_000_000);
    const feeChannel = sim.simulation.network.channels.find(
      (c) => `${c.txid}:${c.vout}` === outpointString(targets.channel),
    );
    expect(feeChannel?.policies.get("dao")).toMatchObject({ feeRatePpm: 250 });
  }, 120_000);
});

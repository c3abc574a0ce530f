// The relay against the node emulation and the real contracts: a channel-open proposal is passed by vote, the
// relay sees action-queued (by polling the logs API, and by event-observer push), claims it, opens the channel with
// memo lvdao:<id>, and reports the funding outpoint; the proposal ends `executed` with that evidence on-chain.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import { bodyHash } from "../../actions/index.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { main } from "../cli/main.ts";
import { readConfig } from "../config.ts";
import { memoryLogger } from "../log.ts";
import { startRelay, type RelayRuntime } from "../start.ts";
import { FakeLnd } from "./fakes.ts";
import { StacksClient } from "../stacks/client.ts";
import { Secret } from "../config.ts";
import { until, freePort } from "./wait.ts";
import { DEPLOYER, passAction, readOnly, send } from "../../devnet/governance.ts";
import { PEER } from "./harness.ts";

const REPO = resolve(import.meta.dirname, "../../..");

function channelOpenPayload(localSats: bigint): Uint8Array {
  const tuple = Cl.tuple({
    peer: Cl.buffer(Buffer.from(PEER, "hex")),
    host: Cl.stringAscii("127.0.0.1:9735"),
    "local-sats": Cl.uint(localSats),
    "push-sats": Cl.uint(0),
    private: Cl.bool(false),
    "base-fee-msat": Cl.uint(1000),
    "fee-ppm": Cl.uint(100),
    "cltv-delta": Cl.uint(40),
  });
  return Buffer.from(serializeCV(tuple), "hex");
}

let dir: string;
let observerPort: number;
let devnet: Devnet;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-relay-devnet-"));
  observerPort = await freePort();
  devnet = await startDevnet({
    projectDir: REPO,
    port: 0,
    blockTimeMs: 50,
    burnBlockTimeMs: 0,
    observers: [`http://127.0.0.1:${observerPort}`],
  });
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function relay(
  events: "poll" | "observer",
  lnd: FakeLnd,
  journal: string,
): Promise<{ runtime: RelayRuntime; log: ReturnType<typeof memoryLogger> }> {
  const log = memoryLogger();
  const { config, secrets } = readConfig(
    {
      stacks: {
        api_url: devnet.url,
        deployer: DEPLOYER,
        relay_key_file: "relay.key",
        events,
        poll_interval_ms: 100,
        observer_listen: `127.0.0.1:${observerPort}`,
      },
      journal: { sqlite_path: journal },
      executor: { poll_interval_ms: 100, retry_backoff_ms: 100 },
      // the monitors would run on the fake lnd too; this suite is about the executor
      monitors: { enabled: false },
      http: { listen: "127.0.0.1:0" },
    },
    { configPath: join(dir, "relay.toml") },
  );
  const runtime = await startRelay(config, {
    secrets,
    daemons: { lnd, loop: undefined, tapd: {} },
    logSink: (line) => log.lines.push(line),
  });
  return { runtime, log };
}

describe.each(["poll", "observer"] as const)("relay on the node emulation (events by %s)", (events) => {
  it("a voted channel-open: claim, open with memo, receipt with the funding outpoint, status executed", async () => {
    const lnd = new FakeLnd();
    const { runtime, log } = await relay(events, lnd, join(dir, `${events}.db`));
    try {
      const id = await passAction(devnet, "channel-open", channelOpenPayload(1_000_000n), `open a channel (${events})`);
      const pending = await until("the channel to be opened", () => lnd.channels.find((c) => c.memo === `lvdao:${id}`));
      expect(pending.capacitySats).toBe(1_000_000n);
      lnd.mine();
      await until("the receipt", async () => (await runtime.journal.actions.get(id))?.state === "reported");
      expect(await readOnly(devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
      const action = await readOnly(devnet, "execution-queue", "get-action", [Cl.uint(id)]);
      expect(action).toContain(
        `(evidence (some 0x${pending.outpoint.txid}${pending.outpoint.vout.toString(16).padStart(8, "0")}))`,
      );
      expect(lnd.log.count("openChannel")).toBe(1);

      const status = (await (await fetch(`${runtime.statusUrl}/status`)).json()) as {
        journal: { byState: Record<string, number> };
      };
      expect(status.journal.byState.reported).toBeGreaterThanOrEqual(1);
      const metrics = await (await fetch(`${runtime.statusUrl}/metrics`)).text();
      expect(metrics).toContain('lvdao_relay_actions_total{kind="channel-open",outcome="executed"} 1');
      expect((await fetch(`${runtime.statusUrl}/healthz`)).status).toBe(200);
      expect(log.lines.join("\n")).not.toContain(devnet.account("wallet_6").privateKey);
    } finally {
      await runtime.stop();
    }
  });
});

describe("the relay's Stacks client on the node emulation", () => {
  it("resyncs its nonce when another sender used it, and reads a contract error code from the receipt", async () => {
    const wallet = devnet.account("wallet_7");
    const client = new StacksClient({
      apiUrl: devnet.url,
      nodeUrl: devnet.url,
      network: "devnet",
      senderKey: new Secret(wallet.privateKey),
      feeUstx: 10_000n,
      confirmations: 1,
      txTimeoutMs: 30_000,
      pollMs: 50,
    });
    expect(client.address).toBe(wallet.address);
    const first = await client.call(`${DEPLOYER}.execution-queue`, "expire", [Cl.uint(999)]);
    await devnet.mine();
    // Someone else spends the nonce the client expects to use next.
    await send(devnet, "wallet_7", "execution-queue", "expire", [Cl.uint(998)]).catch(() => undefined);
    const second = await client.call(`${DEPLOYER}.execution-queue`, "expire", [Cl.uint(997)]);
    expect(second).not.toBe(first);
    await devnet.mine();
    expect(await client.waitForTx(second)).toMatchObject({
      status: "failed",
      errorCode: 1502,
      resultRepr: "(err u1502)",
    });
    const impatient = new StacksClient({
      apiUrl: devnet.url,
      nodeUrl: devnet.url,
      network: "devnet",
      senderKey: new Secret(wallet.privateKey),
      feeUstx: 10_000n,
      confirmations: 1,
      txTimeoutMs: 300,
      pollMs: 50,
    });
    expect(await impatient.waitForTx("ab".repeat(32))).toMatchObject({ status: "dropped" });
  }, 60_000);
});

const TOWER_BODY = "## Why\n\nA second watchtower guards the DAO node's channels.";

describe("lvdao action propose on the node emulation", () => {
  it.each([
    [["--body", ""], "action propose: ERR_EMPTY_BODY: write what the proposal is for"],
    [
      ["--body", "b", "--link", "ftp://x"],
      "action propose: ERR_BAD_LINK: the link must be an http:// or https:// URL without spaces",
    ],
    [["--body", "b", "--body-file", "b.md"], "action propose takes --body or --body-file, not both"],
    [[], "action propose needs --body <markdown> or --body-file <file>"],
    [["--body-file", "/nonexistent/body.md"], "--body-file: cannot read /nonexistent/body.md: ENOENT"],
  ])("refuses %j before reading the config: %s", async (extra, message) => {
    const args = ["action", "propose", "--config", "none.toml", "--key-file", "none.key", "--title", "t", ...extra];
    const err: string[] = [];
    expect(await main([...args, "watchtower", "{}"], { out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err[0]).toBe(`lvdao: ${message}`);
  });

  it("checks the payload with action-validator, signs with the key file; the proposal exists on-chain", async () => {
    writeFileSync(join(dir, "proposer.key"), devnet.account("wallet_4").privateKey);
    writeFileSync(
      join(dir, "cli.toml"),
      `[stacks]\napi_url = "${devnet.url}"\ndeployer = "${DEPLOYER}"\nrelay_key_file = "relay.key"\n`,
    );
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const form = JSON.stringify({ add: true, pubkey: PEER, host: "tower.example:9911" });
    const args = [
      "action",
      "propose",
      "--config",
      join(dir, "cli.toml"),
      "--key-file",
      join(dir, "proposer.key"),
      "--title",
      "add a tower",
      "--body",
      TOWER_BODY,
      "--link",
      "https://forum.example.org/t/towers/7",
    ];
    const proposing = main([...args, "watchtower", form], io);
    const mining = setInterval(() => void devnet.mine(), 100);
    const code = await proposing.finally(() => clearInterval(mining));
    expect(err).toEqual([
      `checking the watchtower payload with ${DEPLOYER}.action-validator`,
      `body: ${TOWER_BODY.length} characters, details-hash ${bodyHash(TOWER_BODY)}; waiting for the block`,
    ]);
    expect(code).toBe(0);
    const id = /^proposal (\d+)$/.exec(out[1] ?? "")?.[1];
    expect(id).toBeDefined();
    const stored = await readOnly(devnet, "proposals", "get-proposal", [Cl.uint(BigInt(id!))]);
    expect(stored).toContain('(kind "watchtower")');
    expect(stored).toContain(`(details-hash 0x${bodyHash(TOWER_BODY)})`);

    // The codec applies settings bounds at their widest; the chain applies the ones in force (max 16,777,215 sats).
    const tooBig = {
      peer: PEER,
      host: "node.example:9735",
      "local-sats": 50_000_000,
      "push-sats": 0,
      private: false,
      "base-fee-msat": 1000,
      "fee-ppm": 100,
      "cltv-delta": 40,
    };
    const refused = await main([...args, "channel-open", JSON.stringify(tooBig)], io);
    expect(refused).toBe(65);
    expect(err.join("\n")).toContain("the chain refuses this channel-open payload: action-validator.ERR_CHANNEL_SIZE");
    const malformed = await main([...args, "watchtower", JSON.stringify({ add: true, pubkey: PEER, host: "" })], io);
    expect(malformed).toBe(65);
    expect(err.join("\n")).toContain("invalid action: ERR_BAD_HOST");
  }, 60_000);
});

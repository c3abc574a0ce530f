// A crash between `executing` and lnd's answer, against real peers: the relay's process "dies" right after lnd
// opened the channel and before the answer reached the journal (the journal refuses every write from then on, as a
// killed process would make none). A new relay started on the same journal file reconciles with lnd by the memo
// lvdao:<id>, finds the channel, and reports it: one channel, one receipt.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import { getChannels, getPendingChannels } from "lightning";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import { LightningLnd } from "../daemons/lnd.ts";
import { QueueContract } from "../stacks/queue.ts";
import { StacksClient } from "../stacks/client.ts";
import { loadConfig } from "../config.ts";
import { Executor } from "../executor/executor.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import { memoryLogger } from "../log.ts";
import { decodeRelayAction } from "../actions.ts";
import { startRelay } from "../start.ts";
import { RelayMetrics } from "../metrics.ts";
import { CRASH_POINTS, crashingJournal } from "./crash.ts";
import { DEPLOYER, passAction, readOnly } from "../../devnet/governance.ts";
import { until } from "./wait.ts";

const REPO = resolve(import.meta.dirname, "../../..");
let dir: string;
let devnet: Devnet;
let sim: SimulatorHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-relay-crash-"));
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  sim = await startSimulators({ stateDir: join(dir, "sim"), channelConfirmations: 1, blockIntervalMs: 200 });
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  const dao = sim.nodes.dao;
  writeFileSync(
    join(dir, "relay.toml"),
    `[stacks]\napi_url = "${devnet.url}"\ndeployer = "${DEPLOYER}"\n` +
      'relay_key_file = "relay.key"\npoll_interval_ms = 100\n' +
      `[lnd]\nsocket = "${dao.lnd_socket}"\ncert_file = "${dao.lnd_cert_path}"\n` +
      `macaroon_file = "${dao.lnd_macaroon_path}"\n` +
      '[journal]\nsqlite_path = "relay.db"\n' +
      "[executor]\npoll_interval_ms = 100\nretry_backoff_ms = 100\nrecovery_grace_ms = 0\n" +
      "[http]\nenabled = false\n",
  );
}, 180_000);

afterAll(async () => {
  await sim?.stop();
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("recovers a channel-open whose lnd answer was lost in a crash, without opening a second channel", async () => {
  const { config, secrets } = loadConfig(join(dir, "relay.toml"), {});
  const payload = Cl.tuple({
    peer: Cl.buffer(Buffer.from(sim.nodes.peer.pubkey, "hex")),
    host: Cl.stringAscii(sim.nodes.peer.p2p_host),
    "local-sats": Cl.uint(1_500_000),
    "push-sats": Cl.uint(0),
    private: Cl.bool(false),
    "base-fee-msat": Cl.uint(1_000),
    "fee-ppm": Cl.uint(10),
    "cltv-delta": Cl.uint(40),
  });
  const id = await passAction(devnet, "channel-open", Buffer.from(serializeCV(payload), "hex"), "crash test");

  // The first relay: real chain client, real lnd adapter, a journal that dies before recording lnd's answer.
  const journal = await openSqliteJournal(config.journal.sqlitePath);
  const stacks = new StacksClient({ ...config.stacks, senderKey: config.stacks.relayKey, pollMs: 100 });
  const action = (await readOnly(devnet, "execution-queue", "get-action", [Cl.uint(id)])).match(
    /\(payload (0x[0-9a-f]+)\)/,
  )![1]!;
  await journal.actions.insertSeen(
    { id, kind: "channel-open", payloadHex: action.slice(2), eta: 0, expires: 1_000_000, attempt: 0 },
    Date.now(),
  );
  const point = CRASH_POINTS.find((p) => p.name === "daemon acted, answer not journaled")!;
  const dying = crashingJournal(journal, point);
  const first = new Executor({
    journal: dying.journal,
    queue: new QueueContract(stacks, DEPLOYER),
    daemons: { lnd: LightningLnd.connect(config.lnd!), loop: undefined, tapd: {} },
    decode: decodeRelayAction,
    config,
    log: memoryLogger(),
    metrics: new RelayMetrics(),
    owner: `${stacks.address}@${hostname()}`,
  });
  await first.drain().catch(() => undefined);
  expect(dying.crashed()).toBe(true);
  await journal.close();

  const memo = `lvdao:${id}`;
  // Distinct funding outpoints carrying the memo, pending or open (a channel can show in both while it confirms).
  const opened = async () =>
    new Set([
      ...(await getPendingChannels({ lnd: sim.lnd.dao })).pending_channels
        .filter((c) => c.description === memo)
        .map((c) => `${c.transaction_id}:${c.transaction_vout}`),
      ...(await getChannels({ lnd: sim.lnd.dao })).channels
        .filter((c) => (c as { description?: string }).description === memo)
        .map((c) => `${c.transaction_id}:${c.transaction_vout}`),
    ]).size;
  expect(await opened()).toBe(1);
  expect(
    (
      await openSqliteJournal(config.journal.sqlitePath).then(async (j) => [await j.actions.get(id), await j.close()])
    )[0],
  ).toMatchObject({ state: "executing", daemonRef: null });

  // The restarted relay: recovery reconciles by memo, then the job settles and reports.
  const log = memoryLogger();
  const relay = await startRelay(config, { secrets, logSink: (line) => log.lines.push(line) });
  try {
    await until(
      "the recovered action's receipt",
      async () => (await relay.journal.actions.get(id))?.state === "reported",
    );
  } finally {
    await relay.stop();
  }
  expect(log.lines.some((line) => line.includes("recovered an action's effect after a restart"))).toBe(true);
  expect(await opened()).toBe(1);
  expect(await readOnly(devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
});

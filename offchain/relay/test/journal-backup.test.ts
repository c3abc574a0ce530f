// docs/operations.md's journal backup and restore, run as written for both backends: SQLite (`sqlite3 relay.db
// ".backup ..."`, the file copied back) and PostgreSQL (`pg_dump -Fc`, `pg_restore` into a new database). The backup
// is taken at the worst moment: lnd has opened the channel but the journal has not recorded its answer (the relay
// dies there). The journal is then lost, the backup restored, and a relay started on it reconciles with lnd by the
// memo lvdao:<id> and reports the action: one channel, one receipt.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import { getChannels, getPendingChannels } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import { decodeRelayAction } from "../actions.ts";
import { loadConfig } from "../config.ts";
import { LightningLnd } from "../daemons/lnd.ts";
import { Executor } from "../executor/executor.ts";
import { openJournal } from "../journal/open.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { startRelay } from "../start.ts";
import { StacksClient } from "../stacks/client.ts";
import { QueueContract } from "../stacks/queue.ts";
import { CRASH_POINTS, crashingJournal } from "./crash.ts";
import { DEPLOYER, passAction, readOnly } from "../../devnet/governance.ts";
import { startTestPostgres, type TestPostgres } from "./postgres.ts";
import { until } from "./wait.ts";

const REPO = resolve(import.meta.dirname, "../../..");
let dir: string;
let devnet: Devnet;
let sim: SimulatorHandle;
let postgres: TestPostgres;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-journal-backup-"));
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  sim = await startSimulators({ stateDir: join(dir, "sim"), channelConfirmations: 1, blockIntervalMs: 200 });
  postgres = await startTestPostgres();
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
}, 240_000);
afterAll(async () => {
  await sim?.stop();
  await devnet?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sh = (command: string, args: string[]) => execFileSync(command, args, { cwd: dir, stdio: "pipe" }).toString();
const database = (name: string) => postgres.url.replace(/\/postgres$/, `/${name}`);

/** Each backend: its [journal] line, and the documented backup, loss and restore. */
const BACKENDS = [
  {
    name: "sqlite",
    journal: () => 'sqlite_path = "relay.db"',
    backup: () => sh("sqlite3", ["relay.db", ".backup 'relay-backup.db'"]),
    lose: () => sh("rm", ["-f", "relay.db", "relay.db-wal", "relay.db-shm"]),
    restore: () => copyFileSync(join(dir, "relay-backup.db"), join(dir, "relay.db")),
  },
  {
    name: "postgres",
    journal: () => `postgres_url = "${database("lvdao_journal")}"`,
    backup: () => sh("pg_dump", ["-Fc", "-f", "journal.dump", "-d", database("lvdao_journal")]),
    lose: () => sh("dropdb", [`--maintenance-db=${postgres.url}`, "lvdao_journal"]),
    restore: () => {
      sh("createdb", [`--maintenance-db=${postgres.url}`, "lvdao_journal"]);
      sh("pg_restore", ["--no-owner", "-d", database("lvdao_journal"), "journal.dump"]);
    },
  },
] as const;

describe.each(BACKENDS)("the $name journal", (backend) => {
  it("restored from a backup taken mid-action, the relay reconciles with lnd and reports once", async () => {
    if (backend.name === "postgres") sh("createdb", [`--maintenance-db=${postgres.url}`, "lvdao_journal"]);
    const configPath = join(dir, `${backend.name}.toml`);
    const dao = sim.nodes.dao;
    writeFileSync(
      configPath,
      `[stacks]\napi_url = "${devnet.url}"\ndeployer = "${DEPLOYER}"\n` +
        'relay_key_file = "relay.key"\npoll_interval_ms = 100\n' +
        `[lnd]\nsocket = "${dao.lnd_socket}"\ncert_file = "${dao.lnd_cert_path}"\n` +
        `macaroon_file = "${dao.lnd_macaroon_path}"\n` +
        `[journal]\n${backend.journal()}\n` +
        "[executor]\npoll_interval_ms = 100\nretry_backoff_ms = 100\nrecovery_grace_ms = 0\n" +
        "[monitors]\nenabled = false\n[http]\nenabled = false\n",
    );
    const { config, secrets } = loadConfig(configPath, {});
    const payload = Cl.tuple({
      peer: Cl.buffer(Buffer.from(sim.nodes.peer.pubkey, "hex")),
      host: Cl.stringAscii(sim.nodes.peer.p2p_host),
      "local-sats": Cl.uint(1_200_000),
      "push-sats": Cl.uint(0),
      private: Cl.bool(false),
      "base-fee-msat": Cl.uint(1_000),
      "fee-ppm": Cl.uint(10),
      "cltv-delta": Cl.uint(40),
    });
    const id = await passAction(devnet, "channel-open", Buffer.from(serializeCV(payload), "hex"), backend.name);
    const memo = `lvdao:${id}`;
    const opened = async () =>
      new Set([
        ...(await getPendingChannels({ lnd: sim.lnd.dao })).pending_channels
          .filter((c) => c.description === memo)
          .map((c) => `${c.transaction_id}:${c.transaction_vout}`),
        ...(await getChannels({ lnd: sim.lnd.dao })).channels
          .filter((c) => (c as { description?: string }).description === memo)
          .map((c) => `${c.transaction_id}:${c.transaction_vout}`),
      ]).size;

    // A relay that dies after lnd opened the channel, before the journal recorded it.
    const journal = await openJournal(config.journal);
    const stacks = new StacksClient({ ...config.stacks, senderKey: config.stacks.relayKey, pollMs: 100 });
    const onChain = (await readOnly(devnet, "execution-queue", "get-action", [Cl.uint(id)])).match(
      /\(payload (0x[0-9a-f]+)\)/,
    )?.[1] as string;
    await journal.actions.insertSeen(
      { id, kind: "channel-open", payloadHex: onChain.slice(2), eta: 0, expires: 1_000_000, attempt: 0 },
      Date.now(),
    );
    const point = CRASH_POINTS.find((p) => p.name === "daemon acted, answer not journaled");
    if (!point) throw new Error("no such crash point");
    const dying = crashingJournal(journal, point);
    await new Executor({
      journal: dying.journal,
      queue: new QueueContract(stacks, DEPLOYER),
      daemons: { lnd: LightningLnd.connect(config.lnd as NonNullable<typeof config.lnd>), loop: undefined, tapd: {} },
      decode: decodeRelayAction,
      config,
      log: memoryLogger(),
      metrics: new RelayMetrics(),
      owner: `${stacks.address}@${hostname()}`,
    })
      .drain()
      .catch(() => undefined);
    expect(dying.crashed()).toBe(true);
    await journal.close();
    expect(await opened()).toBe(1);

    backend.backup();
    backend.lose();
    backend.restore();

    const restored = await openJournal(config.journal);
    expect(await restored.actions.get(id)).toMatchObject({ state: "executing", daemonRef: null });
    await restored.close();

    const log = memoryLogger();
    const relay = await startRelay(config, { secrets, logSink: (line) => log.lines.push(line) });
    try {
      await until(
        "the restored action's receipt",
        async () => (await relay.journal.actions.get(id))?.state === "reported",
      );
    } finally {
      await relay.stop();
    }
    expect(log.lines.some((line) => line.includes("recovered an action's effect after a restart"))).toBe(true);
    expect(await opened()).toBe(1);
    expect(await readOnly(devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
  }, 300_000);
});

// (f) A fee policy applied to 100 channels of a real lnd (the regtest stack: btcd, lnd dao/peer/contributor), timed
// side by side with the same update made by balanceofsatoshis (`bos fees --set-fee-rate --set-cltv-delta --to <peer>`,
// tools/bos, 17.10.0) against the same lnd. The relay's side is its fee-policy kind handler (executor/kinds/
// fee-policy.ts) over its lnd adapter, as the executor runs it for a voted action: read every channel's policy, merge,
// update each, hash the applied set. bos runs as the operator would run it, a CLI process per update. Rounds alternate
// relay and bos with a new fee rate each time, and each update is checked on lnd before it counts.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getChannel, getChannels, getFeeRates, getPendingChannels } from "lightning";
import { startRegtest, type RegtestHandle } from "../../offchain/regtest/harness/index.ts";
import { LightningLnd } from "../../offchain/relay/daemons/lnd.ts";
import type { KindContext } from "../../offchain/relay/executor/context.ts";
import { feePolicy } from "../../offchain/relay/executor/kinds/fee-policy.ts";
import { openSqliteJournal } from "../../offchain/relay/journal/sqlite.ts";
import { memoryLogger } from "../../offchain/relay/log.ts";
import { REPO } from "../../offchain/relay/test/integration-stack.ts";
import { progress, quantile, report } from "./figures.ts";

const BOS_DIR = join(REPO, "tools/bos");
const BOS = join(BOS_DIR, "node_modules/balanceofsatoshis/bos");
const BOS_VERSION = "17.10.0";
const ROUNDS = 5;
const CHANNEL_SATS = 100_000;
const CLTV_DELTA = 80;
/** lnd's maxpendingchannels in the regtest config is 20 per peer; batches stay under it. */
const PER_PEER_BATCH = 10;

function installBos(): void {
  const manifest = join(BOS_DIR, "node_modules/balanceofsatoshis/package.json");
  if (
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version === BOS_VERSION
  )
    return;
  progress(`installing balanceofsatoshis ${BOS_VERSION} into tools/bos...`);
  const result = spawnSync("npm", ["ci", "--prefix", BOS_DIR, "--no-audit", "--no-fund", "--silent"], {
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`npm ci --prefix tools/bos failed (exit ${result.status ?? result.signal})`);
}

function batchOpen(lightning: RegtestHandle, pubkeys: string[]): Promise<void> {
  const client = (
    lightning.lnd.dao as unknown as {
      default: { batchOpenChannel: (request: object, callback: (error: Error | null) => void) => void };
    }
  ).default;
  const channels = pubkeys.map((pubkey) => ({
    node_pubkey: Buffer.from(pubkey, "hex"),
    local_funding_amount: String(CHANNEL_SATS),
  }));
  return new Promise((done, fail) =>
    client.batchOpenChannel({ channels, sat_per_vbyte: "2", spend_unconfirmed: true }, (error: Error | null) =>
      error ? fail(new Error(`BatchOpenChannel: ${error.message}`)) : done(),
    ),
  );
}

/** Opens channels from dao to peer and contributor, a batch per block, until dao has `total` active channels. */
async function openChannels(lightning: RegtestHandle, total: number): Promise<void> {
  const lnd = lightning.lnd.dao;
  const partners = [lightning.nodes.peer.pubkey, lightning.nodes.contributor.pubkey];
  for (;;) {
    const { channels } = await getChannels({ lnd });
    const missing = total - channels.length;
    if (missing <= 0) break;
    const batch: string[] = [];
    for (let i = 0; i < Math.min(missing, PER_PEER_BATCH * partners.length); i++)
      batch.push(partners[i % partners.length]!);
    progress(`  dao has ${channels.length} channels; opening ${batch.length} more in one transaction...`);
    await batchOpen(lightning, batch);
    for (let tries = 0; ; tries++) {
      await lightning.mine(1);
      const pending = await getPendingChannels({ lnd });
      if (pending.pending_channels.every((c) => !c.is_opening)) break;
      if (tries > 20) throw new Error(`${pending.pending_channels.length} channels still pending after 20 blocks`);
    }
  }
  // Announcement depth, so every channel's edge (its policies) is in dao's graph, where fee updates read it.
  await lightning.mine(6);
  for (let tries = 0; ; tries++) {
    const { channels } = await getChannels({ lnd });
    const inGraph = await Promise.all(
      channels.map((c) =>
        getChannel({ lnd, id: c.id }).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (channels.length === total && channels.every((c) => c.is_active) && inGraph.every(Boolean)) return;
    if (tries > 150)
      throw new Error(
        `dao has ${channels.length} channels, ${channels.filter((c) => c.is_active).length} active, ` +
          `${inGraph.filter(Boolean).length} in its graph; expected ${total}`,
      );
    await new Promise((resume) => setTimeout(resume, 200));
  }
}

async function checkFeeRate(lightning: RegtestHandle, feeRate: number, total: number, who: string): Promise<void> {
  const { channels } = await getFeeRates({ lnd: lightning.lnd.dao });
  const matching = channels.filter((c) => c.fee_rate === feeRate).length;
  if (matching !== total)
    throw new Error(
      `after ${who}'s update, ${matching} of ${channels.length} channels have ${feeRate} ppm (expected ${total})`,
    );
}

function runBos(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BOS, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) =>
      code === 0
        ? done(performance.now() - started)
        : fail(new Error(`bos ${args.join(" ")} exited ${code}:\n${output.slice(-1_500)}`)),
    );
  });
}

export async function feesVersusBos(total: number): Promise<void> {
  installBos();
  const dir = mkdtempSync(join(tmpdir(), "lvdao-bench-bos-"));
  let lightning: RegtestHandle | undefined;
  try {
    progress("starting the regtest stack (btcd, lnd dao/peer/contributor, tapd, loopd simulator)...");
    lightning = await startRegtest({ stateDir: join(dir, "regtest"), progress: (line) => progress(`  ${line}`) });
    await openChannels(lightning, total);
    const dao = lightning.nodes.dao;

    // bos reads a saved node's credentials from $BOS_DATA_PATH/<node>/credentials.json; HOME is a temp dir too
    const bosData = join(dir, "bos");
    mkdirSync(join(bosData, "dao"), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(bosData, "dao", "credentials.json"),
      JSON.stringify({
        cert: readFileSync(dao.lnd_cert_path!).toString("base64"),
        macaroon: readFileSync(dao.lnd_macaroon_path!).toString("base64"),
        socket: dao.lnd_socket,
      }),
      { mode: 0o600 },
    );
    const env = { PATH: process.env.PATH, HOME: dir, BOS_DATA_PATH: bosData };
    const to = [lightning.nodes.peer.pubkey, lightning.nodes.contributor.pubkey].flatMap((pubkey) => ["--to", pubkey]);

    const relayLnd = new LightningLnd(lightning.lnd.dao);
    const context: KindContext = {
      actionId: 1n,
      key: "lvdao:1",
      daemons: { lnd: relayLnd, loop: undefined, tapd: {} },
      // fee-policy keeps no job records; an in-memory journal stands in for the relay's
      jobs: (await openSqliteJournal(":memory:")).jobs,
      // what the executor passes; fee-policy reads neither (it spends nothing on-chain and runs no limit check)
      limits: { maxChannelSats: 0n, maxLoopSats: 0n, peerAllow: [], peerDeny: [], dailyOnchainBudgetSats: 0n },
      executor: {
        pollIntervalMs: 1_000,
        retryBackoffMs: 2_000,
        maxBackoffMs: 60_000,
        leaseMarginBlocks: 1,
        recoveryGraceMs: 10_000,
        daemonTimeoutMs: 60_000,
        maxCloseFeeRate: 10_000n,
        maxInFlight: 16,
      },
      lvAssetId: async () => undefined,
      log: memoryLogger(),
      now: Date.now,
    };
    const relayApply = async (feeRate: number): Promise<number> => {
      const started = performance.now();
      await feePolicy.act(
        {
          kind: "fee-policy",
          payload: {
            target: null,
            baseFeeMsat: 1_000n,
            feePpm: BigInt(feeRate),
            inboundBaseDiscountMsat: 0n,
            inboundPpmDiscount: 0n,
            cltvDelta: BigInt(CLTV_DELTA),
          },
        },
        context,
      );
      return performance.now() - started;
    };
    const bosApply = (feeRate: number) =>
      runBos(
        ["fees", "--node", "dao", "--set-fee-rate", String(feeRate), "--set-cltv-delta", String(CLTV_DELTA), ...to],
        env,
      );

    progress(`warm-up: one update each, then ${ROUNDS} rounds of relay and bos alternating, each checked on lnd...`);
    await relayApply(90);
    await checkFeeRate(lightning, 90, total, "the relay");
    await bosApply(91);
    await checkFeeRate(lightning, 91, total, "bos");
    const relayTimes: number[] = [];
    const bosTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const relayRate = 100 + 2 * round;
      relayTimes.push(await relayApply(relayRate));
      await checkFeeRate(lightning, relayRate, total, "the relay");
      bosTimes.push(await bosApply(relayRate + 1));
      await checkFeeRate(lightning, relayRate + 1, total, "bos");
    }
    const listings: number[] = [];
    for (let i = 0; i < 3; i++) listings.push(await runBos(["fees", "--node", "dao"], env));
    const bosListing = quantile(listings, 0.5);

    const bosP50 = quantile(bosTimes, 0.5);
    console.log(
      `\n(f) a fee policy on ${total} channels of the real regtest lnd ` +
        `(lnd ${lightning.versions["lnd dao"] ?? "version unknown"}), ${ROUNDS} rounds each`,
    );
    console.log(
      `    relay: ${relayTimes.map((t) => t.toFixed(0)).join(", ")} ms;  ` +
        `bos fees: ${bosTimes.map((t) => t.toFixed(0)).join(", ")} ms`,
    );
    console.log(`    bos fees without --set (start-up and listing only) p50 ${bosListing.toFixed(0)} ms`);
    report({
      name: `relay fee-policy on ${total} channels p50`,
      value: quantile(relayTimes, 0.5),
      unit: "ms",
      baselineName: "bos fees, same update (p50)",
      baseline: bosP50,
    });
    report({
      name: `bos fees on ${total} channels p50`,
      value: bosP50,
      unit: "ms",
      baselineName: "bos fees without --set (p50)",
      baseline: bosListing,
    });
  } finally {
    await lightning?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

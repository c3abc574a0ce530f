// Benchmark: the relay's liquidity scan of 10,000 channels on the lnd simulator (target: <= 50 ms).
// Prints, over the same 10,000-channel node in one run:
//   transport  ListChannels over gRPC (TLS, macaroon, HTTP/2), answer left as bytes: the floor any client pays
//   scan       scanLiquidity(): transport plus the client layer's lean, checked reader
//   reader     the client layer's reader alone, on the bytes already in memory
//   lightning  the same channels through `lightning`'s getChannels and the full mapper (the path not taken)
//   server     the simulator building and writing its 10,000-channel answer (inside transport, shown apart)
// and the ratios scan/transport and lightning/scan.  Usage: npm run bench:lightning [-- --channels N --runs N]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { getChannels } from "lightning";
import { scanLiquidity } from "../../offchain/lightning/lnd/scan-liquidity.ts";
import { liquidityFromLnd } from "../../offchain/lightning/responses/lnd-channels.ts";
import { liquidityFromListChannelsBytes } from "../../offchain/lightning/responses/list-channels-wire.ts";
import { startSimulators } from "../../offchain/regtest/lnd-tapd-sim/index.ts";
import { addOpenChannels } from "../../offchain/regtest/lnd-tapd-sim/fixtures.ts";
import { channelMessage } from "../../offchain/regtest/lnd-tapd-sim/lnd-channel-views.ts";
import { encodeListChannelsResponse } from "../../offchain/regtest/lnd-tapd-sim/lnd-channel-wire.ts";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const CHANNELS = option("channels", 10_000);
const RUNS = option("runs", 30);
const TARGET_MS = 50;

type Figures = { p50: number; p95: number };

/** Runs every contender once per round, in turn, so load drifting over the run affects them alike. */
async function measureTogether(
  contenders: Record<string, () => Promise<unknown> | unknown>,
): Promise<Record<string, Figures>> {
  const names = Object.keys(contenders);
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < RUNS + 3; round += 1) {
    for (const name of names) {
      const start = performance.now();
      await (contenders[name] as () => unknown)();
      if (round >= 3) (times[name] as number[]).push(performance.now() - start);
    }
  }
  const figures: Record<string, Figures> = {};
  for (const name of names) {
    const sorted = (times[name] as number[]).sort((x, y) => x - y);
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    figures[name] = { p50: pick(0.5), p95: pick(0.95) };
    const ms = (value: number) => value.toFixed(1).padStart(7);
    console.log(`${name.padEnd(10)} p50 ${ms(figures[name].p50)} ms   p95 ${ms(figures[name].p95)} ms`);
  }
  return figures;
}

const dir = mkdtempSync(join(tmpdir(), "lvdao-bench-"));
const sim = await startSimulators({ stateDir: dir, fundAndConnect: true });
try {
  console.log(`setting up ${CHANNELS} open channels on the simulated dao node...`);
  addOpenChannels(sim.simulation, "dao", CHANNELS - 1);
  const lnd = sim.lnd.dao;
  const count = (await scanLiquidity({ lnd })).channels.length;
  if (count !== CHANNELS) throw new Error(`expected ${CHANNELS} channels, the scan saw ${count}`);
  console.log(`liquidity scan of ${count} channels, ${RUNS} rounds (after 3 warm-up rounds), contenders interleaved\n`);
  const client = lnd.default as unknown as {
    makeUnaryRequest: (
      method: string,
      serialize: (value: Buffer) => Buffer,
      deserialize: (bytes: Buffer) => Buffer,
      argument: Buffer,
      metadata: object,
      callback: (error: unknown, bytes: Buffer) => void,
    ) => void;
  };
  const transportOnly = () =>
    new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(
        "/lnrpc.Lightning/ListChannels",
        () => Buffer.alloc(0),
        (bytes: Buffer) => bytes,
        Buffer.alloc(0),
        {},
        (error: unknown, bytes: Buffer) => (error ? reject(error) : resolve(bytes)),
      ),
    );
  const bytes = await transportOnly();
  const node = sim.simulation.lnd.dao;
  const channels = sim.simulation.network.channelsOf(node);
  const figures = await measureTogether({
    transport: transportOnly,
    scan: () => scanLiquidity({ lnd }),
    reader: () => liquidityFromListChannelsBytes(bytes),
    lightning: async () => liquidityFromLnd(await getChannels({ lnd })),
    server: () => encodeListChannelsResponse({ channels: channels.map((c) => channelMessage(c, node, true)) }),
  });
  const {
    transport,
    scan,
    reader,
    lightning: viaLightning,
    server,
  } = figures as Record<"transport" | "scan" | "reader" | "lightning" | "server", Figures>;
  console.log(`\nanswer size        ${(bytes.length / 1e6).toFixed(1)} MB`);
  console.log(`scan / transport   ${(scan.p50 / transport.p50).toFixed(2)}x   (client layer on top of the bare call)`);
  console.log(`reader / scan      ${((reader.p50 / scan.p50) * 100).toFixed(1)}%`);
  console.log(`lightning / scan   ${(viaLightning.p50 / scan.p50).toFixed(1)}x   (what the full decode would cost)`);
  console.log(
    `server / transport ${((server.p50 / transport.p50) * 100).toFixed(1)}%   ` +
      "(simulator work inside the transport figure)",
  );
  console.log(
    `target: scan p50 <= ${TARGET_MS} ms -> ${scan.p50 <= TARGET_MS ? "met" : "NOT met"} (${scan.p50.toFixed(1)} ms)`,
  );
} finally {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}

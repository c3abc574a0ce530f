// npm run bench:relay [-- --only a,b,c,d,e,f,g,h,k,o,v --actions N --serial-actions N --in-flight N --e2e N
//   --channels N --rows N --bos-channels N --oracle-rounds N --vault-samples N --desk-trades N --ha-kills N
//   --ha-lease-ms N]
// The relay's performance figures, each printed with a baseline measured in the same run and the ratio:
//   a  the relay's own processing per action (waits for daemons and confirmations excluded)      node emulation + sim
//   b  end to end, action queued and due -> report-success confirmed, 1 s Stacks blocks          node emulation + sim
//   c  throughput, 1 s blocks: N fee-policy actions drained, several in flight, vs one at a time  node emulation + sim
//   d  the liquidity monitor's scan of 10,000 channels                 lnd simulator in its own process
//   e  RSS of a relay process whose journal holds 10,000 rows                                    child process
//   f  a fee policy on 100 channels: the relay vs `bos fees`, against the same real lnd           regtest stack
//   g  /metrics scrape time with 10,000 journal rows (timed GETs and a real Prometheus)  e's relay processes
//   o  the tapd price oracle's p95 under 100 concurrent QueryAssetRates vs a bare gRPC echo        TLS, in process
//   v  a vault funding PSBT (1/10/100 inputs) vs bare bitcoinjs-lib signing; vault vB per path   pure CPU
//   k  the LV desk: quotes/s vs bare pricing quote(); p50/p95 own work per buy trade vs sim send + settle  SQLite + sim
//   h  HA: failover p50/p95 over N leader SIGKILLs vs the lease; RSS of two relays on one PostgreSQL vs one  PG + sim
// Targets are printed as met or not; the run fails only when a measurement cannot be made.
import { figures, option, progress, summaryTable } from "./figures.ts";

const SECTIONS = ["a", "b", "c", "d", "e", "f", "g", "o", "v", "k", "h"] as const;
type Section = (typeof SECTIONS)[number];

function selected(): Set<Section> {
  const index = process.argv.indexOf("--only");
  if (index < 0) return new Set(SECTIONS);
  const wanted = (process.argv[index + 1] ?? "").split(",").filter(Boolean);
  const unknown = wanted.filter((w) => !(SECTIONS as readonly string[]).includes(w));
  if (wanted.length === 0 || unknown.length > 0)
    throw new Error(
      `--only takes a comma-separated subset of ${SECTIONS.join(",")}; got "${process.argv[index + 1] ?? ""}"`,
    );
  return new Set(wanted as Section[]);
}

const only = selected();
const actions = option("actions", 1_000);
const started = performance.now();

if (only.has("a")) {
  const { startBenchStack } = await import("./stack.ts");
  const { processing } = await import("./chain-figures.ts");
  const stack = await startBenchStack({ blockTimeMs: 50, channels: 10, progress });
  try {
    await processing(stack, actions);
  } finally {
    await stack.stop();
  }
}
if (only.has("c"))
  await (await import("./chain-figures.ts")).throughput(actions, option("serial-actions", 20), option("in-flight", 16));
if (only.has("d")) await (await import("./liquidity-scan.ts")).liquidityScan(option("channels", 10_000));
if (only.has("b")) await (await import("./chain-figures.ts")).endToEnd(option("e2e", 5));
if (only.has("e") || only.has("g"))
  await (await import("./rss.ts")).journalFigures(option("rows", 10_000), {
    rss: only.has("e"),
    scrape: only.has("g"),
  });
if (only.has("v")) await (await import("./vault.ts")).vaultFigures(option("vault-samples", 20));
if (only.has("f")) await (await import("./bos-fees.ts")).feesVersusBos(option("bos-channels", 100));
if (only.has("k")) await (await import("./desk.ts")).deskFigures(option("desk-trades", 50));
if (only.has("h")) await (await import("./ha.ts")).haFigures(option("ha-kills", 20), option("ha-lease-ms", 3_000));
if (only.has("o")) await (await import("./price-oracle.ts")).priceOracleLatency(option("oracle-rounds", 20));

console.log(`\nSummary (${((performance.now() - started) / 1000).toFixed(0)} s)\n\n${summaryTable()}\n`);
if (figures.length === 0) throw new Error("no figure was measured");

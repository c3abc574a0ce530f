// npm run bench:devnet [-- --rounds N --reads N]: the Stacks node emulation's throughput and latency, each against a
// baseline measured in the same run on the same contracts without HTTP.
//   1. Contract calls accepted and mined per second: signed gt-token transfers (wallet_1..5 of settings/Devnet.toml,
//      25 chained per account per round, the node's chaining limit) POSTed to /v2/transactions, then mined.
//      Baseline: the same transfers as simnet.mineBlock calls on a fresh simnet session.
//   2. p50/p95 of a read-only call (gt-token get-balance) through POST /v2/contracts/call-read.
//      Baseline: simnet.callReadOnlyFn.
// Targets: >= 200 tx/s, p95 <= 10 ms. Transactions are signed before the clock starts: signing is the
// client's cost, not the node's.
import { initSimnet, tx } from "@stacks/clarinet-sdk";
import { Cl, cvToHex, makeContractCall, PostConditionMode } from "@stacks/transactions";
import { startDevnet } from "../../offchain/devnet/index.ts";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} needs a positive integer, got ${process.argv[index + 1]}`);
  return value;
}

const ROUNDS = option("rounds", 8);
const READS = option("reads", 1000);
const PER_ACCOUNT = 25; // the node refuses more than 25 chained transactions per account (TooMuchChaining)
const SENDERS = ["wallet_1", "wallet_2", "wallet_3", "wallet_4", "wallet_5"];
const AMOUNT = 1_000n; // GT base units per transfer
const FEE = 3_000n; // micro-STX, above 1 uSTX per byte

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (n: number): string => n.toFixed(3);

async function silently<T>(work: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = () => undefined; // simnet echoes every print event
  try {
    return await work();
  } finally {
    console.log = original;
  }
}

// --- the emulation over HTTP ------------------------------------------------------------------------------------
log("starting the node emulation over the lvdao project (contracts published and bootstrapped)...");
const devnet = await silently(() => startDevnet({ projectDir: ".", port: 0, blockTimeMs: 0, burnBlockTimeMs: 0 }));
const deployer = devnet.account("deployer").address;
const token = { contractAddress: deployer, contractName: "gt-token" };
const recipient = devnet.account("wallet_6").address; // holds no GT, sends none

log(`signing ${ROUNDS * SENDERS.length * PER_ACCOUNT} gt-token transfers...`);
const rounds: Uint8Array[][] = [];
for (let round = 0; round < ROUNDS; round++) {
  const batch: Uint8Array[] = [];
  for (const name of SENDERS) {
    const sender = devnet.account(name);
    const first = devnet.chain.nextNonce(sender.address);
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const signed = await makeContractCall({
        ...token,
        functionName: "transfer",
        functionArgs: [Cl.uint(AMOUNT), Cl.principal(sender.address), Cl.principal(recipient), Cl.none()],
        senderKey: sender.privateKey,
        nonce: first + BigInt(round * PER_ACCOUNT + i),
        fee: FEE,
        network: "testnet",
        postConditionMode: PostConditionMode.Allow,
      });
      batch.push(signed.serializeBytes());
    }
  }
  rounds.push(batch);
}

log("measuring: POST /v2/transactions, then mine, round by round...");
const txids: string[] = [];
let acceptMs = 0;
const httpStart = performance.now();
for (const batch of rounds) {
  const roundStart = performance.now();
  const accepted = await Promise.all(
    batch.map(async (raw) => {
      const response = await fetch(`${devnet.url}/v2/transactions`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: raw,
      });
      const body = (await response.json()) as unknown;
      if (response.status !== 200 || typeof body !== "string")
        throw new Error(`transaction refused: ${response.status} ${JSON.stringify(body)}`);
      return body;
    }),
  );
  txids.push(...accepted);
  acceptMs += performance.now() - roundStart;
  await devnet.mine();
}
const httpSeconds = (performance.now() - httpStart) / 1000;
const failed = txids.filter((txid) => devnet.chain.txs.get(txid)?.status !== "success");
if (failed.length)
  throw new Error(
    `${failed.length} transfers did not succeed, e.g. ${failed[0]}: ${devnet.chain.txs.get(failed[0]!)?.status}`,
  );

const readBody = JSON.stringify({ sender: deployer, arguments: [cvToHex(Cl.principal(recipient))] });
const readUrl = `${devnet.url}/v2/contracts/call-read/${deployer}/gt-token/get-balance`;
const httpReads: number[] = [];
for (let i = 0; i < READS + 50; i++) {
  const started = performance.now();
  const response = await fetch(readUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: readBody,
  });
  const body = (await response.json()) as { okay: boolean };
  if (!body.okay) throw new Error(`call-read failed: ${JSON.stringify(body)}`);
  if (i >= 50) httpReads.push(performance.now() - started); // the first 50 warm up the connection and JIT
}
await devnet.stop();

// --- the baseline: the same calls straight on simnet ------------------------------------------------------------
log("baseline: the same transfers and reads directly on a simnet session...");
const simnet = await silently(() => initSimnet("./Clarinet.toml", true, { trackCosts: false, trackCoverage: false }));
const accounts = simnet.getAccounts();
const simToken = `${accounts.get("deployer")!}.gt-token`;
const simSenders = SENDERS.map((name) => accounts.get(name)!);
const directStart = performance.now();
await silently(async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const block = simSenders.flatMap((sender) =>
      Array.from({ length: PER_ACCOUNT }, () =>
        tx.callPublicFn(
          simToken,
          "transfer",
          [Cl.uint(AMOUNT), Cl.principal(sender), Cl.principal(recipient), Cl.none()],
          sender,
        ),
      ),
    );
    const results = simnet.mineBlock(block);
    const bad = results.find((r) => r.result.type !== "ok");
    if (bad) throw new Error(`baseline transfer failed: ${JSON.stringify(bad.result)}`);
  }
});
const directSeconds = (performance.now() - directStart) / 1000;
const directReads: number[] = [];
const readArg = [Cl.principal(recipient)];
for (let i = 0; i < READS + 50; i++) {
  const started = performance.now();
  simnet.callReadOnlyFn(simToken, "get-balance", readArg, accounts.get("deployer")!);
  if (i >= 50) directReads.push(performance.now() - started);
}

// --- report ----------------------------------------------------------------------------------------------------
const count = txids.length;
const httpRate = count / httpSeconds;
const directRate = count / directSeconds;
httpReads.sort((a, b) => a - b);
directReads.sort((a, b) => a - b);
const [h50, h95, d50, d95] = [
  quantile(httpReads, 0.5),
  quantile(httpReads, 0.95),
  quantile(directReads, 0.5),
  quantile(directReads, 0.95),
];
console.log(
  `\nnode emulation bench (${count} gt-token transfers in ${ROUNDS} blocks of ${SENDERS.length * PER_ACCOUNT}; ` +
    `${READS} reads)\n`,
);
console.log("| measure | HTTP emulation | simnet direct (baseline) | ratio | target |");
console.log("|---|---:|---:|---:|---|");
console.log(
  `| contract calls accepted + mined | ${httpRate.toFixed(0)} tx/s | ${directRate.toFixed(0)} tx/s | ` +
    `${(httpRate / directRate).toFixed(2)}x | >= 200 tx/s: ${httpRate >= 200 ? "met" : "MISSED"} |`,
);
console.log(`| of which admission (POST /v2/transactions) | ${(count / (acceptMs / 1000)).toFixed(0)} tx/s | | | |`);
console.log(`| of which mining | ${(count / (httpSeconds - acceptMs / 1000)).toFixed(0)} tx/s | | | |`);
console.log(`| read-only p50 | ${ms(h50)} ms | ${ms(d50)} ms | ${(h50 / d50).toFixed(2)}x | |`);
console.log(
  `| read-only p95 | ${ms(h95)} ms | ${ms(d95)} ms | ${(h95 / d95).toFixed(2)}x | <= 10 ms: ` +
    `${h95 <= 10 ? "met" : "MISSED"} |`,
);

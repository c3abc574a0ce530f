// A channel-open funded from the vault, through lnd's PSBT funding flow. Each step is journaled (a job record
// `vault-funding:<action id>:<attempt>`) before the next side effect, so a crash between any two resumes where it
// stopped and never funds twice:
//   built            lnd holds a pending channel (its funding address and amount); the PSBT spending vault coins to it
//                    is built. Nothing is signed yet.
//   relay-signed     the relay's signatures are in the PSBT.
//   cosigner-signed  the co-signer's too: the PSBT is complete. Only lnd publishes it, and only for this pending id.
//   funded           lnd took it (verified, finalized, published); the channel is pending under the memo.
// The funding txid is fixed once the PSBT is built (segwit and taproot inputs do not change it), so the receipt's
// outpoint is known from `built` on. An attempt whose pending channel lnd no longer has is `abandoned`; the next one
// spends the same coins when they are still unspent, so two attempts can never both confirm.
import { address as bitcoinAddress, Psbt } from "bitcoinjs-lib";
import type { ActionOf } from "../../actions/index.ts";
import { bitcoinNetwork, buildSpendPsbt, finalizeEveryday } from "../../vault/index.ts";
import { outpointString, type LndPort } from "../daemons/ports.ts";
import { conflict, RetryableFailure } from "../failure.ts";
import { JobStore, type Job } from "../jobs/store.ts";
import type { JobTable } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import { txidOf } from "./cosigner-client.ts";
import type { VaultPort } from "./port.ts";

export const FUNDING_STEPS = ["built", "relay-signed", "cosigner-signed", "funded", "abandoned"] as const;
export type FundingStep = (typeof FUNDING_STEPS)[number];

export interface FundingJob extends Job {
  state: FundingStep;
  pendingChannelId: string;
  fundingAddress: string;
  /** the PSBT as of this step, base64 */
  psbt: string;
  /** the vault coins it spends, `<txid>:<vout>` */
  inputs: string[];
  /** the channel's funding outpoint, `<txid>:<vout>` */
  fundingOutpoint: string;
}

export interface FundingContext {
  actionId: bigint;
  /** the channel memo, lvdao:<id> */
  key: string;
  lnd: LndPort;
  vault: VaultPort;
  jobs: JobTable;
  log: Logger;
  now: () => number;
}

export const fundingStore = (jobs: JobTable, now?: () => number) =>
  new JobStore<FundingJob>(jobs, "vault-funding:", now);

/** This action's attempts, oldest first (ids `<action id>:<attempt>`, the attempt zero-padded to sort). */
export async function fundingAttempts(jobs: JobTable, actionId: bigint) {
  return fundingStore(jobs).list(`${actionId}:`);
}

/** The funding outpoint of an attempt whose transaction may be out: its coins are spent, or lnd took it. */
export async function fundedOutpoint(context: FundingContext): Promise<string | undefined> {
  const attempts = await fundingAttempts(context.jobs, context.actionId);
  for (const { job } of attempts.reverse()) {
    if (job.state === "funded") return job.fundingOutpoint;
    // Only a complete PSBT can have become a transaction: earlier steps' coins spent elsewhere say nothing here.
    if (job.state !== "cosigner-signed") continue;
    for (const input of job.inputs) {
      const [txid, vout] = input.split(":");
      if (await context.vault.isSpent({ txid: txid!, vout: Number(vout) })) return job.fundingOutpoint;
    }
  }
  return undefined;
}

/** Runs (or resumes) the vault funding of a channel-open; returns the funding outpoint once lnd took it. */
export async function fundChannelFromVault(action: ActionOf<"channel-open">, context: FundingContext): Promise<string> {
  const { lnd, vault, log } = context;
  const store = fundingStore(context.jobs, context.now);
  const attempts = await store.list(`${context.actionId}:`);
  let current = attempts.at(-1);
  if (!current || current.job.state === "abandoned") {
    const previous = current?.job;
    const attempt = attempts.length;
    await lnd.connectPeer({ pubkey: action.payload.peer, host: action.payload.host });
    const pending = await lnd.openChannelForPsbt({
      pubkey: action.payload.peer,
      localSats: action.payload.localSats,
      pushSats: action.payload.pushSats,
      private: action.payload.private,
      memo: context.key,
      baseFeeMsat: action.payload.baseFeeMsat,
      feePpm: action.payload.feePpm,
    });
    const psbt = await buildFunding(action, context, pending.fundingAddress, previous);
    const txid = txidOf(psbt);
    const fundingScript = bitcoinAddress.toOutputScript(pending.fundingAddress, bitcoinNetwork(vault.network));
    const vout = psbt.txOutputs.findIndex((o) => Buffer.from(o.script).equals(Buffer.from(fundingScript)));
    if (vout < 0 || psbt.txOutputs[vout]!.value !== action.payload.localSats)
      throw conflict(`the funding PSBT does not pay ${action.payload.localSats} sats to the channel`);
    const job: FundingJob = {
      state: "built",
      pendingChannelId: pending.pendingChannelId,
      fundingAddress: pending.fundingAddress,
      psbt: psbt.toBase64(),
      inputs: psbt.txInputs.map((i) =>
        outpointString({ txid: Buffer.from(i.hash).reverse().toString("hex"), vout: i.index }),
      ),
      fundingOutpoint: outpointString({ txid, vout }),
    };
    const id = `${context.actionId}:${String(attempt).padStart(4, "0")}`;
    if (!(await store.create(id, job))) throw new RetryableFailure(`vault funding ${id} was started by another relay`);
    current = (await store.get(id))!;
    log.info("vault funding built", { step: "built", inputs: job.inputs.length, funding: job.fundingOutpoint });
  }

  if (current.job.state === "built") {
    const psbt = Psbt.fromBase64(current.job.psbt);
    const signed = await vault.signRelay(psbt);
    if (signed !== psbt.inputCount)
      throw conflict(`the relay's key signed ${signed} of ${psbt.inputCount} vault inputs: not the registered key`);
    current = await store.move(current, { ...current.job, state: "relay-signed", psbt: psbt.toBase64() });
    log.info("vault funding signed by the relay", { step: "relay-signed" });
  }

  if (current.job.state === "relay-signed") {
    const cosigned = await vault.cosign(context.actionId, Psbt.fromBase64(current.job.psbt));
    current = await store.move(current, { ...current.job, state: "cosigner-signed", psbt: cosigned.toBase64() });
    log.info("vault funding signed by the co-signer", { step: "cosigner-signed" });
  }

  if (current.job.state === "cosigner-signed") {
    const psbt = Psbt.fromBase64(current.job.psbt);
    // lnd cannot finalize a script-path spend: it gets the PSBT with every input's final witness in place.
    finalizeEveryday(psbt);
    try {
      await lnd.fundPendingChannel({ pendingChannelId: current.job.pendingChannelId, signedPsbtHex: psbt.toHex() });
    } catch (error) {
      const outpoint = await fundedOutpoint(context);
      if (outpoint) return outpoint;
      // lnd unreachable: the pending channel may well be there; only lnd's own refusal ends this attempt.
      if (error instanceof RetryableFailure) throw error;
      await lnd.cancelPendingChannel({ pendingChannelId: current.job.pendingChannelId }).catch(() => undefined);
      await store.move(current, { ...current.job, state: "abandoned" });
      log.warn("lnd refused the funding; the next attempt spends the same coins", {
        pending_channel: current.job.pendingChannelId,
      });
      throw new RetryableFailure(`lnd refused the vault funding: ${(error as Error).message}`);
    }
    current = await store.move(current, { ...current.job, state: "funded" });
    log.info("vault funding handed to lnd", { step: "funded", funding: current.job.fundingOutpoint });
  }
  return current.job.fundingOutpoint;
}

async function buildFunding(
  action: ActionOf<"channel-open">,
  context: FundingContext,
  fundingAddress: string,
  previous: FundingJob | undefined,
): Promise<Psbt> {
  const { vault } = context;
  const keys = await vault.keys();
  const coins = (await vault.coins()).filter((c) => c.confirmations > 0);
  const reserved = await reservedCoins(context);
  const free = coins.filter((c) => !reserved.has(outpointString(c)));
  // An earlier attempt's coins first: if its transaction ever surfaced, this one would conflict with it.
  const again = previous ? free.filter((c) => previous.inputs.includes(outpointString(c))) : [];
  const script = bitcoinAddress.toOutputScript(fundingAddress, bitcoinNetwork(vault.network));
  const change = await vault.issueAddress(1);
  const args = {
    keys,
    network: vault.network,
    outputs: [{ script, sats: action.payload.localSats }],
    feeRateSatVb: vault.feeRate,
    changeIndex: change.index,
  };
  if (again.length === previous?.inputs.length) {
    try {
      return buildSpendPsbt({ ...args, utxos: again });
    } catch {
      // the same coins no longer cover the channel at this fee rate: choose among all of them
    }
  }
  if (free.length === 0) throw conflict("the vault has no confirmed coins to fund the channel");
  return buildSpendPsbt({ ...args, utxos: free });
}

/** Coins another action's unfinished funding holds: never offered to a second PSBT. */
async function reservedCoins(context: FundingContext): Promise<Set<string>> {
  const reserved = new Set<string>();
  for (const { id, job } of await fundingStore(context.jobs).list()) {
    if (id.startsWith(`${context.actionId}:`) || job.state === "abandoned" || job.state === "funded") continue;
    for (const input of job.inputs) reserved.add(input);
  }
  return reserved;
}

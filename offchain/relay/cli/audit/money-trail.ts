// The audit's money trail, pure: the DAO's executed decisions against the vault's history on chain (btcd). What it
// expects:
//   funding   every executed channel-open's funding transaction spends vault coins only
//   closes    every channel an executed channel-open made that lnd lists as closing or closed was closed by a
//             transaction paying the vault (a close by hand to elsewhere is drift), unless the DAO voted to force-close
//             it (lnd sweeps a force close's commitment output to its own wallet)
//   loop-outs every executed loop-out's dest is a vault address
//   spends    every transaction spending vault coins is the funding transaction of an executed channel-open: a spend
//             with no DAO decision behind it (both keys used by hand, a guardian or last-resort sweep) is drift
import type { VaultTx, VaultTxOutput } from "../../vault/port.ts";
import type { Drift } from "./compare.ts";
import type { ExecutedAction } from "./decisions.ts";

/** A transaction the trail names (a funding or a closing transaction), as btcd has it. */
export interface TrailTx {
  txid: string;
  /** `<txid>:<vout>` of each input */
  inputs: string[];
  outputs: VaultTxOutput[];
}

export interface MoneyView {
  /** every transaction paying or spending the vault, oldest first */
  history: VaultTx[];
  /** by txid: the funding and closing transactions of the executed decisions (absent when btcd has none) */
  txs: Map<string, TrailTx>;
  /** the loop-out destinations that are vault addresses */
  vaultDests: Set<string>;
  /** closing txid by funding outpoint (`<txid>:<vout>`), for the channels lnd lists as closing or closed */
  closings: Map<string, string>;
}

export type MoneyDriftKind =
  | "channel-not-vault-funded"
  | "close-not-to-vault"
  | "loop-out-not-to-vault"
  | "vault-spend-not-decided";

const fundingTxid = (evidenceHex: string): string => evidenceHex.slice(0, 64);

const fundingOutpoint = (evidenceHex: string): string =>
  `${evidenceHex.slice(0, 64)}:${parseInt(evidenceHex.slice(64, 72), 16)}`;

/** The transactions the trail needs looked up: each channel-open's funding and, once closed, its closing. */
export function trailTxids(executed: ExecutedAction[], closings: Map<string, string>): string[] {
  return executed.flatMap(({ action, evidenceHex }) => {
    if (action.kind !== "channel-open") return [];
    const closing = closings.get(fundingOutpoint(evidenceHex));
    return closing ? [fundingTxid(evidenceHex), closing] : [fundingTxid(evidenceHex)];
  });
}

export function moneyTrail(executed: ExecutedAction[], view: MoneyView): (Drift & { kind: MoneyDriftKind })[] {
  const drifts: (Drift & { kind: MoneyDriftKind })[] = [];
  const vaultCoins = new Set<string>();
  for (const tx of view.history) for (const out of tx.outputs) if (out.vault) vaultCoins.add(`${tx.txid}:${out.vout}`);
  const decidedSpends = new Map<string, bigint>();
  const forced = new Set(
    executed.flatMap(({ action }) =>
      action.kind === "channel-close" && action.payload.force ? [`${action.payload.txid}:${action.payload.vout}`] : [],
    ),
  );

  for (const { id, action, evidenceHex } of executed) {
    if (action.kind === "channel-open") {
      const txid = fundingTxid(evidenceHex);
      decidedSpends.set(txid, id);
      const tx = view.txs.get(txid);
      const foreign = tx ? tx.inputs.filter((input) => !vaultCoins.has(input)) : undefined;
      if (!tx || foreign!.length > 0) {
        drifts.push({
          kind: "channel-not-vault-funded",
          subject: `channel-open #${id} funding ${txid}`,
          expected: "every input a vault coin",
          actual: tx ? `${foreign!.length} of ${tx.inputs.length} input(s) not from the vault` : "unknown to btcd",
        });
      }
      const channel = fundingOutpoint(evidenceHex);
      const closingTxid = view.closings.get(channel);
      if (closingTxid && !forced.has(channel)) {
        const closing = view.txs.get(closingTxid);
        if (!closing?.outputs.some((o) => o.vault)) {
          drifts.push({
            kind: "close-not-to-vault",
            subject: `channel ${channel} (channel-open #${id}) closing ${closingTxid}`,
            expected: "an output paying a vault address",
            actual: closing
              ? `pays ${closing.outputs.map((o) => `${o.address ?? "(no address)"} ${o.sats}`).join(", ")}`
              : "unknown to btcd",
          });
        }
      }
    } else if (action.kind === "loop-out" && !view.vaultDests.has(action.payload.dest)) {
      drifts.push({
        kind: "loop-out-not-to-vault",
        subject: `loop-out #${id}`,
        expected: "dest a vault address",
        actual: action.payload.dest,
      });
    }
  }

  for (const tx of view.history) {
    if (tx.spends.length === 0 || decidedSpends.has(tx.txid)) continue;
    const spent = tx.spends.reduce((sum, s) => sum + s.sats, 0n);
    drifts.push({
      kind: "vault-spend-not-decided",
      subject: `vault spend ${tx.txid}`,
      expected: "the funding transaction of an executed channel-open",
      actual: `spends ${tx.spends.length} vault coin(s), ${spent} sats, with no DAO decision`,
    });
  }
  return drifts;
}

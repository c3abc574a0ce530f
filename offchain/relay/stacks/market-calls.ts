// The LV desk's contract calls, built pure so the desk journals them through TxSender.run like the relay's other
// calls, and so the contract tests can send exactly what the relay sends.
import { Cl, type ClarityValue } from "@stacks/transactions";

/** One complete pricing period's trades, as lv-ledger.record-trade-summary takes them (docs/market.md). */
export interface TradeSummary {
  /** period index: stacks-block-height / lv-pricing's period, of a period that is over */
  period: bigint;
  trades: bigint;
  /** LV base units */
  lvVolume: bigint;
  /** sats */
  satsVolume: bigint;
  /** bps */
  avgPremiumBps: bigint;
  /** sha256 of the period's trade list, 32 bytes */
  tradesHash: Uint8Array;
}

export interface ContractCall {
  contractId: string;
  functionName: string;
  args: ClarityValue[];
}

/** lv-ledger.record-trade-summary for `summary`; refuses a hash that is not 32 bytes before anything is signed. */
export function recordTradeSummaryCall(deployer: string, summary: TradeSummary): ContractCall {
  if (summary.tradesHash.length !== 32)
    throw new RangeError(`trades-hash must be 32 bytes (a sha256), got ${summary.tradesHash.length}`);
  return {
    contractId: `${deployer}.lv-ledger`,
    functionName: "record-trade-summary",
    args: [
      Cl.uint(summary.period),
      Cl.uint(summary.trades),
      Cl.uint(summary.lvVolume),
      Cl.uint(summary.satsVolume),
      Cl.uint(summary.avgPremiumBps),
      Cl.buffer(summary.tradesHash),
    ],
  };
}

// lv-transfer: the receiving wallet's tapd makes an address for the amount, the sending wallet's tapd sends to it
// with label lvdao:<id>. Idempotency: the sender's ListTransfers by label. Evidence: the anchor txid.
// tapd spends only confirmed coins, and a transfer's change is a new coin: while the sender's previous transfer is
// unconfirmed, real tapd refuses the send as if the LV were not there ("failed to find coin(s) that satisfy given
// constraints; if previous transfers are un-confirmed, wait for them to confirm"). That refusal is retried while the
// sender has an unconfirmed transfer, and is a 409 only when it has none.
import { lvWallet } from "../../actions.ts";
import type { TapdPort } from "../../daemons/ports.ts";
import { conflict, PermanentFailure, RetryableFailure } from "../../failure.ts";
import type { KindHandler } from "../context.ts";
import { hex32 } from "../evidence.ts";

/** How tapd (and the simulator) refuses a send it cannot fund. */
const NO_SPENDABLE_COINS = /satisfy given constraints|insufficient/i;

export const lvTransfer: KindHandler<"lv-transfer"> = {
  kind: "lv-transfer",
  describe: ({ payload: a }) => `send ${a.amount} LV units from the ${a.from} wallet to the ${a.to} wallet`,
  onchainSpend: () => 0n,

  async reconcile({ payload }, { daemons, key }) {
    const from = daemons.tapd[lvWallet(payload.from)];
    if (!from) return undefined;
    return (await from.listTransfers()).find((t) => t.label === key)?.anchorTxid;
  },

  async act({ payload: action }, { daemons, key, lvAssetId }) {
    const from = daemons.tapd[lvWallet(action.from)];
    const to = daemons.tapd[lvWallet(action.to)];
    if (!from) throw conflict(`the ${action.from} wallet has no tapd on this relay`);
    if (!to) throw conflict(`the ${action.to} wallet has no tapd on this relay`);
    const assetId = await lvAssetId();
    if (!assetId) throw conflict("the LV asset is not known yet (lv.asset_id, or the revenue sweeper's first mint)");
    const address = await to.newLvAddress({ assetId, groupKey: undefined }, action.amount);
    try {
      return (await from.send({ address, label: key })).anchorTxid;
    } catch (error) {
      throw await unfundedSend(error, from, action.from);
    }
  },

  settle: async (_action, ref) => hex32(ref, "anchor txid"),
};

/** A refused send is retryable while the sender's LV may be an unconfirmed transfer's change. */
async function unfundedSend(error: unknown, from: TapdPort, wallet: string): Promise<unknown> {
  if (!(error instanceof PermanentFailure) || !NO_SPENDABLE_COINS.test(error.reason)) return error;
  const unconfirmed = (await from.listTransfers()).filter((t) => !t.confirmed);
  if (unconfirmed.length === 0) return error;
  return new RetryableFailure(
    `the ${wallet} wallet has ${unconfirmed.length} unconfirmed transfer(s) (anchor ${unconfirmed[0]!.anchorTxid}); ` +
      `waiting for a block to spend its change: ${error.reason}`,
  );
}

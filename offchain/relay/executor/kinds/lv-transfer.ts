// lv-transfer: the receiving wallet's tapd makes an address for the amount, the sending wallet's tapd sends to it
// with label lvdao:<id>. Idempotency: the sender's ListTransfers by label. Evidence: the anchor txid.
import { conflict } from "../../failure.ts";
import type { KindHandler } from "../context.ts";
import { hex32 } from "../evidence.ts";

export const lvTransfer: KindHandler<"lv-transfer"> = {
  kind: "lv-transfer",
  describe: (a) => `send ${a.amount} LV units from the ${a.from} wallet to the ${a.to} wallet`,
  onchainSpend: () => 0n,

  async reconcile(action, { daemons, key }) {
    const from = daemons.tapd[action.from];
    if (!from) return undefined;
    return (await from.listTransfers()).find((t) => t.label === key)?.anchorTxid;
  },

  async act(action, { daemons, key, lvAssetId }) {
    const from = daemons.tapd[action.from];
    const to = daemons.tapd[action.to];
    if (!from) throw conflict(`the ${action.from} wallet has no tapd on this relay`);
    if (!to) throw conflict(`the ${action.to} wallet has no tapd on this relay`);
    const assetId = await lvAssetId();
    if (!assetId) throw conflict("the LV asset is not known yet (lv.asset_id, or the revenue sweeper's first mint)");
    const address = await to.newAddress({ assetId, amount: action.amount });
    const { anchorTxid } = await from.send({ address, label: key });
    return anchorTxid;
  },

  settle: async (_action, ref) => hex32(ref, "anchor txid"),
};

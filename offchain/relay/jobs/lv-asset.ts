// Which asset is LV. The relay config may name it (lv.asset_id); otherwise the revenue sweeper's first mint creates
// the group and journals its group key (`lv-group-key`) and the first tranche's asset id (`lv-asset-id`, which the
// executor's lv-transfer reads). Every later epoch mints a new tranche into the same group, so balances are read by
// group whenever the group is known.
import type { RelayConfig } from "../config.ts";
import type { LvAsset } from "../daemons/ports.ts";
import type { Journal } from "../journal/types.ts";

export const LV_ASSET_ID_KEY = "lv-asset-id";
export const LV_GROUP_KEY = "lv-group-key";

export async function lvAsset(journal: Journal, config: Pick<RelayConfig, "lv">): Promise<LvAsset> {
  return {
    groupKey: await journal.jobs.get(LV_GROUP_KEY),
    assetId: config.lv.assetId ?? (await journal.jobs.get(LV_ASSET_ID_KEY)),
  };
}

export const lvKnown = (lv: LvAsset): boolean => lv.groupKey !== undefined || lv.assetId !== undefined;

// Every relay kind's handler, by kind.
import type { RelayKind } from "../../../actions/index.ts";
import type { KindHandler } from "../context.ts";
import { channelClose } from "./channel-close.ts";
import { channelOpen } from "./channel-open.ts";
import { feePolicy } from "./fee-policy.ts";
import { loopIn, loopOut } from "./loop.ts";
import { lvTransfer } from "./lv-transfer.ts";
import { rebalancePolicy } from "./rebalance-policy.ts";
import { watchtower } from "./watchtower.ts";

export const HANDLERS: { [K in RelayKind]: KindHandler<K> } = {
  "channel-open": channelOpen,
  "channel-close": channelClose,
  "fee-policy": feePolicy,
  "rebalance-policy": rebalancePolicy,
  "loop-out": loopOut,
  "loop-in": loopIn,
  "lv-transfer": lvTransfer,
  watchtower,
};

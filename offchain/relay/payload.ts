// Turns a queued payload into the relay's typed action (actions.ts) through the shared codec (offchain/actions):
// strict decoding (exact tuple, canonical bytes) and the payload rules with action-validator's error names. Anything
// it refuses is failure 400, so the relay never acts on a payload it cannot vouch for.
// The bounds that come from dao-settings were checked on-chain with the values in force when the action was
// proposed; here they are checked at their widest, so a later settings change never turns a passed action into a
// 400. The operator's own, narrower limits are the 403s of executor/limits.ts.
import { ActionError, decodeAction, SETTINGS, validateAction, type Action, type PayloadBounds } from "../actions/index.ts";
import { isRelayKind, type RelayAction } from "./actions.ts";
import type { LvWallet } from "./config.ts";
import { invalid, PermanentFailure } from "./failure.ts";

export const WIDEST_BOUNDS: PayloadBounds = {
  minChannelSats: SETTINGS["min-channel-sats"]!.min,
  maxChannelSats: SETTINGS["max-channel-sats"]!.max,
  maxFeePpm: SETTINGS["max-fee-ppm"]!.max,
  maxLoopSats: SETTINGS["max-loop-sats"]!.max,
};

/** An ActionError from the codec as the relay's failure 400, keeping the contract's error name. */
export function invalidAction(error: unknown): PermanentFailure | unknown {
  return error instanceof ActionError ? invalid(`${error.code}${error.field ? ` (${error.field})` : ""}: ${error.reason}`) : error;
}

function toRelayAction(action: Action): RelayAction {
  switch (action.kind) {
    case "channel-open":
      return { kind: action.kind, ...action.payload };
    case "channel-close": {
      const { txid, vout, ...rest } = action.payload;
      return { kind: action.kind, outpoint: { txid, vout: Number(vout) }, ...rest };
    }
    case "fee-policy": {
      const { target, ...rest } = action.payload;
      return { kind: action.kind, target: target && { txid: target.txid, vout: Number(target.vout) }, ...rest };
    }
    case "rebalance-policy":
      return { kind: action.kind, ...action.payload };
    case "loop-out": {
      const { channel, ...rest } = action.payload;
      return { kind: action.kind, channel: channel && { txid: channel.txid, vout: Number(channel.vout) }, ...rest };
    }
    case "loop-in":
      return { kind: action.kind, ...action.payload };
    case "lv-transfer":
      return { kind: action.kind, from: action.payload.from as LvWallet, to: action.payload.to as LvWallet, amount: action.payload.amount };
    case "watchtower":
      return { kind: action.kind, ...action.payload };
    default:
      throw invalid(`${action.kind} is not executed by the relay`);
  }
}

export function decodeRelayAction(kind: string, payload: Uint8Array): RelayAction {
  if (!isRelayKind(kind)) throw invalid(`${kind} is not executed by the relay`);
  try {
    return toRelayAction(validateAction(decodeAction(kind as string, payload), WIDEST_BOUNDS));
  } catch (error) {
    throw invalidAction(error);
  }
}

// The relay's action vocabulary: the shared codec's Action (offchain/actions) narrowed to the kinds the relay
// carries out, and the one function that turns a queued payload into one. Decoding is strict (exact tuple,
// canonical bytes) and the payload rules carry action-validator's error names; anything the codec refuses is
// failure 400, so the relay never acts on a payload it cannot vouch for.
// The bounds that come from dao-settings were checked on-chain with the values in force when the action was
// proposed; here they are checked at their widest, so a later settings change never turns a passed action into a
// 400. The operator's own, narrower limits are the 403s of executor/limits.ts.
import {
  ActionError,
  decodeAction,
  isRelayKind,
  LV_WALLETS,
  SETTINGS,
  validateAction,
  type Action,
  type LvWallet,
  type PayloadBounds,
  type RelayKind,
} from "../actions/index.ts";
import { invalid, type PermanentFailure } from "./failure.ts";

/** An action of a kind the relay executes against lnd, tapd and loopd. */
export type RelayAction = Extract<Action, { kind: RelayKind }>;

/** Turns a queued payload into a relay action; throws PermanentFailure 400 when the relay cannot accept it. */
export type ActionDecoder = (kind: string, payload: Uint8Array) => RelayAction;

/** The idempotency key every daemon sees for this action: channel memo, loop label, tapd label. */
export const idempotencyKey = (id: bigint): string => `lvdao:${id}`;

export const WIDEST_BOUNDS: PayloadBounds = {
  minChannelSats: SETTINGS["min-channel-sats"]!.min,
  maxChannelSats: SETTINGS["max-channel-sats"]!.max,
  maxFeePpm: SETTINGS["max-fee-ppm"]!.max,
  maxLoopSats: SETTINGS["max-loop-sats"]!.max,
};

/** An ActionError from the codec as the relay's failure 400, keeping the contract's error name. */
export function invalidAction(error: unknown): PermanentFailure | unknown {
  return error instanceof ActionError
    ? invalid(`${error.code}${error.field ? ` (${error.field})` : ""}: ${error.reason}`)
    : error;
}

const isRelayAction = (action: Action): action is RelayAction => isRelayKind(action.kind);

export function decodeRelayAction(kind: string, payload: Uint8Array): RelayAction {
  if (!isRelayKind(kind)) throw invalid(`${kind} is not executed by the relay`);
  let action: Action;
  try {
    action = validateAction(decodeAction(kind as string, payload), WIDEST_BOUNDS);
  } catch (error) {
    throw invalidAction(error);
  }
  if (!isRelayAction(action)) throw invalid(`${action.kind} is not executed by the relay`);
  return action;
}

/** An LV wallet an lv-transfer names (the codec has checked it; this narrows the type). */
export function lvWallet(name: string): LvWallet {
  if (!(LV_WALLETS as readonly string[]).includes(name)) throw invalid(`${name} is not an LV wallet`);
  return name as LvWallet;
}

// Operator limits (relay config [limits]) sit under the DAO's bounds: an action over one is reported as failure 403
// and never runs. Pure, so every rule is a row in a table test.
import type { RelayAction } from "../actions.ts";
import type { RelayConfig } from "../config.ts";
import { overLimit, type PermanentFailure } from "../failure.ts";

function peerRefusal(pubkey: string, limits: RelayConfig["limits"], role: string): PermanentFailure | undefined {
  const key = pubkey.toLowerCase();
  if (limits.peerDeny.includes(key)) return overLimit(`${role} ${key} is on the relay's peer deny list`);
  if (limits.peerAllow.length > 0 && !limits.peerAllow.includes(key))
    return overLimit(`${role} ${key} is not on the relay's peer allow list`);
  return undefined;
}

/** The first operator limit the action breaks, or undefined. `spentToday` is today's on-chain spend so far. */
export function checkLimits(
  action: RelayAction,
  limits: RelayConfig["limits"],
  onchainSpend: bigint,
  spentToday: bigint,
): PermanentFailure | undefined {
  switch (action.kind) {
    case "channel-open":
      if (action.payload.localSats > limits.maxChannelSats) {
        return overLimit(
          `local-sats ${action.payload.localSats} exceeds the relay's max channel size ${limits.maxChannelSats}`,
        );
      }
      {
        const refused = peerRefusal(action.payload.peer, limits, "peer");
        if (refused) return refused;
      }
      break;
    case "loop-out":
    case "loop-in":
      if (action.payload.amountSats > limits.maxLoopSats) {
        return overLimit(
          `amount-sats ${action.payload.amountSats} exceeds the relay's max loop amount ${limits.maxLoopSats}`,
        );
      }
      if (action.kind === "loop-in" && action.payload.lastHop) {
        const refused = peerRefusal(action.payload.lastHop, limits, "last-hop");
        if (refused) return refused;
      }
      break;
    default:
      break;
  }
  if (onchainSpend > 0n && spentToday + onchainSpend > limits.dailyOnchainBudgetSats) {
    return overLimit(
      `on-chain spend ${onchainSpend} sats would exceed the relay's daily budget (${spentToday} of ` +
        `${limits.dailyOnchainBudgetSats} used today)`,
    );
  }
  return undefined;
}

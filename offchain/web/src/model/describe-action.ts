// An action in words, for the proposal page: what a voter approves, with every amount in its unit ("Open a
// 2,000,000 sat channel to 02ab…cdef@host, push 0 sats"). One sentence per kind, from the codec's typed payload.
import { SETTINGS, type Action, type Outpoint } from "../../../actions/index.ts";
import { formatBps, formatGt, formatInteger } from "./amounts.ts";

/** A long hex string cut to its ends: "02abcdef…6789". */
export function shortHex(hex: string, keep = 8): string {
  return hex.length > keep + 5 ? `${hex.slice(0, keep)}…${hex.slice(-4)}` : hex;
}

function outpoint(target: Outpoint): string {
  return `${shortHex(target.txid)}:${target.vout}`;
}

function sats(value: bigint): string {
  return `${formatInteger(value)} sat${value === 1n ? "" : "s"}`;
}

function onOff(enabled: boolean, what: string, who: string): string {
  return `${enabled ? "Enable" : "Disable"} ${who} as ${what}`;
}

export function describeAction(action: Action): string {
  switch (action.kind) {
    case "channel-open": {
      const p = action.payload;
      return (
        `Open a ${formatInteger(p.localSats)} sat ${p.private ? "private " : ""}channel ` +
        `to ${shortHex(p.peer)}@${p.host}, ` +
        `push ${sats(p.pushSats)}; fees ${formatInteger(p.baseFeeMsat)} msat + ${formatInteger(p.feePpm)} ppm, ` +
        `CLTV delta ${p.cltvDelta} blocks`
      );
    }
    case "channel-close": {
      const p = action.payload;
      return (
        `${p.force ? "Force-close" : "Close"} the channel ${outpoint(p)}, ` +
        `paying at most ${formatInteger(p.maxFeeRate)} sat/vB`
      );
    }
    case "fee-policy": {
      const p = action.payload;
      const target = p.target ? `the channel ${outpoint(p.target)}` : "every channel";
      return (
        `Set the fees of ${target} to ${formatInteger(p.baseFeeMsat)} msat + ${formatInteger(p.feePpm)} ppm, ` +
        `inbound discount ${formatInteger(p.inboundBaseDiscountMsat)} msat + ` +
        `${formatInteger(p.inboundPpmDiscount)} ppm, ` +
        `CLTV delta ${p.cltvDelta} blocks`
      );
    }
    case "rebalance-policy": {
      const p = action.payload;
      const peers = p.peers.length === 0 ? "every channel" : p.peers.map((peer) => shortHex(peer)).join(", ");
      return (
        `Rebalance ${peers} to keep at least ${p.minInboundPct}% inbound and ${p.minOutboundPct}% outbound, ` +
        `swap fees at most ${formatInteger(p.maxSwapFeePpm)} ppm, a budget of ${sats(p.budgetSats)} ` +
        `per ${formatInteger(p.budgetPeriod)} burn blocks, at most ${p.maxInFlight} swaps in flight`
      );
    }
    case "loop-out": {
      const p = action.payload;
      const from = p.channel ? ` from the channel ${outpoint(p.channel)}` : "";
      return `Loop out ${sats(p.amountSats)}${from} to ${p.dest}, paying at most ${sats(p.maxFeeSats)} in fees`;
    }
    case "loop-in": {
      const p = action.payload;
      const via = p.lastHop ? ` through ${shortHex(p.lastHop)}` : "";
      return `Loop in ${sats(p.amountSats)}${via}, paying at most ${sats(p.maxFeeSats)} in fees`;
    }
    case "lv-transfer": {
      const p = action.payload;
      return `Move ${formatInteger(p.amount)} LV units from the ${p.from} wallet to the ${p.to} wallet`;
    }
    case "watchtower": {
      const p = action.payload;
      return `${p.add ? "Add" : "Remove"} the watchtower ${shortHex(p.pubkey)}@${p.host}`;
    }
    case "lv-allocation": {
      const p = action.payload;
      return (
        `Split new LV ${formatBps(p.infrastructureBps)} to infrastructure, ${formatBps(p.channelBps)} to channels, ` +
        `${formatBps(p.reserveBps)} to the reserve`
      );
    }
    case "relay-set":
      return onOff(action.payload.enabled, "a relay", action.payload.relay);
    case "setting": {
      const { key, value } = action.payload;
      const spec = SETTINGS[key];
      const shown = spec?.unit === "GT base units" ? `${formatGt(value)} GT` : formatInteger(value);
      return `Set ${key} to ${shown}${spec && spec.unit !== "GT base units" ? ` (${spec.unit})` : ""}`;
    }
    case "gt-grant":
      return `Mint ${formatGt(action.payload.amount)} GT to ${action.payload.recipient}`;
    case "member-attestor":
      return onOff(action.payload.enabled, "a member attestor", action.payload.attestor);
    case "guardian-set":
      return onOff(action.payload.enabled, "a guardian", action.payload.guardian);
    case "contract-proposal":
      return `Run the contract ${action.payload.proposal} (code hash ${shortHex(action.payload.codeHash)})`;
    case "treasury-transfer":
      return `Pay ${formatGt(action.payload.amount)} GT from the treasury to ${action.payload.recipient}`;
    case "vault-set": {
      const p = action.payload;
      return (
        `Set the DAO vault (descriptor hash ${shortHex(p.descriptorHash)}): everyday spends by the relay ` +
        `${shortHex(p.relayKey)} and the co-signer ${shortHex(p.cosignerKey)}; ` +
        `${p.guardianThreshold} of ${p.guardianKeys.length} guardians ` +
        `after ${formatInteger(p.recoveryOlder)} blocks; ` +
        `the last-resort key ${shortHex(p.lastResortKey)} after ${formatInteger(p.lastResortOlder)} blocks; ` +
        `fees at most ${formatInteger(p.maxFeeRate)} sat/vB`
      );
    }
    case "lv-pricing": {
      const p = action.payload;
      return (
        `Price LV at ${formatInteger(p.referenceMsat)} msat per unit with a ${formatBps(p.spreadBps)} spread; ` +
        `a premium of ${formatInteger(p.premiumSlopeBps)} bps per 1% of inbound below ` +
        `${formatBps(p.targetInboundBps)}, at most ${formatBps(p.maxPremiumBps)}; quotes valid ` +
        `${formatInteger(p.quoteTtl)} s; at most ${formatInteger(p.maxTradeLv)} LV units a trade and ` +
        `${formatInteger(p.maxPeriodLv)} per ${formatInteger(p.period)} Stacks blocks`
      );
    }
  }
}

// The dao-settings keys with their units, bounds and defaults (docs/contracts.md), so `setting` payloads and
// payload bounds validate off-chain exactly as dao-settings would. Relays pass the live values they read from
// the chain; DEFAULT_SETTINGS is what dao-settings starts with.
import { ACTION_KINDS } from "./kinds.ts";

export interface SettingSpec {
  unit: string;
  min: bigint;
  max: bigint;
  default: bigint;
}

const MAX_HEIGHT = 4_294_967_295n;

export const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  "proposal-threshold": { unit: "GT base units", default: 1_000_000_000n, min: 0n, max: 100_000_000_000_000n },
  "proposal-bond": { unit: "GT base units", default: 100_000_000n, min: 0n, max: 10_000_000_000_000n },
  "max-active-per-proposer": { unit: "open proposals", default: 3n, min: 1n, max: 50n },
  "claim-lease": { unit: "burn blocks", default: 6n, min: 1n, max: 1_008n },
  "max-attempts": { unit: "attempts", default: 3n, min: 1n, max: 20n },
  "min-channel-sats": { unit: "sats", default: 20_000n, min: 20_000n, max: 100_000_000_000n },
  "max-channel-sats": { unit: "sats", default: 16_777_215n, min: 20_000n, max: 100_000_000_000n },
  "max-fee-ppm": { unit: "ppm", default: 5_000n, min: 0n, max: 1_000_000n },
  "max-loop-sats": { unit: "sats", default: 10_000_000n, min: 1n, max: 100_000_000_000n },
  "gt-per-lv": { unit: "GT base units per LV unit, scale 10^6", default: 1_000_000n, min: 1n, max: 1_000_000_000_000n },
  "guardian-sunset": { unit: "burn height", default: 0n, min: 0n, max: MAX_HEIGHT },
  "max-pause": { unit: "burn blocks", default: 144n, min: 1n, max: 2_016n },
  "veto-quorum": { unit: "guardians", default: 2n, min: 1n, max: 16n },
  "veto-window": { unit: "burn blocks", default: 144n, min: 1n, max: 4_320n },
  "cv-decay": {
    unit: "a per burn block, scale 10^12",
    default: 998_396_779_171n,
    min: 500_000_000_000n,
    max: 999_999_999_999n,
  },
  "cv-max-ratio": { unit: "bps", default: 2_000n, min: 1n, max: 10_000n },
  "cv-weight": { unit: "rho, scale 10^12", default: 10_000_000_000n, min: 1n, max: 1_000_000_000_000n },
  "cv-min-stake-bps": { unit: "bps of GT supply", default: 2_500n, min: 0n, max: 10_000n },
  "paused-until": { unit: "burn height, 0 = not paused", default: 0n, min: 0n, max: MAX_HEIGHT },
  "pause-cooldown": { unit: "burn blocks between one guardian's pauses", default: 1_008n, min: 0n, max: 4_320n },
  "pause-budget": { unit: "paused burn blocks per pause-period", default: 432n, min: 1n, max: 52_560n },
  "pause-period": { unit: "burn blocks", default: 2_016n, min: 1n, max: 52_560n },
  "max-attestation": { unit: "burn blocks a membership may last", default: 52_560n, min: 1n, max: 262_800n },
  "grant-min-supporters": {
    unit: "distinct stakers a gt-grant needs, recipient excluded",
    default: 3n,
    min: 1n,
    max: 100n,
  },
  ...actionConfigSettings(),
};

function actionConfigSettings(): Record<string, SettingSpec> {
  const conviction = new Set(["lv-transfer", "lv-allocation", "gt-grant"]);
  const governance = new Set([
    "setting",
    "relay-set",
    "member-attestor",
    "guardian-set",
    "contract-proposal",
    "treasury-transfer",
    "vault-set",
    "lv-pricing",
  ]);
  // A grant's veto window is a full day.
  const timelock = (kind: string): bigint => (kind === "gt-grant" ? 144n : governance.has(kind) ? 12n : 6n);
  const out: Record<string, SettingSpec> = {};
  for (const kind of ACTION_KINDS) {
    const c = conviction.has(kind);
    const g = governance.has(kind);
    out[`${kind}:mechanism`] = { unit: "1 quadratic, 2 conviction", default: c ? 2n : 1n, min: 1n, max: 2n };
    out[`${kind}:voting-delay`] = { unit: "burn blocks", default: c ? 0n : 6n, min: 0n, max: 4_320n };
    out[`${kind}:voting-period`] = { unit: "burn blocks", default: c ? 4_320n : 144n, min: 1n, max: 8_640n };
    out[`${kind}:quorum-votes`] = {
      unit: "quadratic votes",
      default: c ? 0n : 1_000_000n,
      min: 0n,
      max: 1_000_000_000_000_000n,
    };
    out[`${kind}:pass-bps`] = { unit: "bps", default: g ? 6_000n : 5_000n, min: 1n, max: 10_000n };
    out[`${kind}:timelock`] = { unit: "burn blocks", default: timelock(kind), min: 0n, max: 4_320n };
    out[`${kind}:expiry`] = { unit: "burn blocks after eta", default: 1_008n, min: 6n, max: 52_560n };
    out[`${kind}:members-only`] = { unit: "0 or 1", default: 0n, min: 0n, max: 1n };
  }
  return out;
}

/** The live settings the payload rules read. */
export interface PayloadBounds {
  minChannelSats: bigint;
  maxChannelSats: bigint;
  maxFeePpm: bigint;
  maxLoopSats: bigint;
}

export const DEFAULT_SETTINGS: PayloadBounds = {
  minChannelSats: SETTINGS["min-channel-sats"]!.default,
  maxChannelSats: SETTINGS["max-channel-sats"]!.default,
  maxFeePpm: SETTINGS["max-fee-ppm"]!.default,
  maxLoopSats: SETTINGS["max-loop-sats"]!.default,
};

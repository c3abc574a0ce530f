// What a relay's receipt (report-success evidence, docs/design.md section 4 and docs/relay.md) says, per action kind,
// and what its failure codes mean.
import { FAILURE_CODE } from "../../../relay/failure.ts";

const FAILURE_WORDS: Record<number, string> = {
  [FAILURE_CODE.invalid]: "the relay found the payload invalid",
  [FAILURE_CODE.overLimit]: "the action is over a limit the relay's operator set, so it never ran",
  [FAILURE_CODE.conflict]: "the action conflicts with the Lightning node's state",
  [FAILURE_CODE.unavailable]: "a Lightning daemon stayed unreachable",
};

/** A relay's report-failure in words: "the action conflicts with the Lightning node's state (409): <detail>". */
export function describeRelayFailure(code: bigint, detail = ""): string {
  const words = FAILURE_WORDS[Number(code)] ?? "the relay reported a failure";
  return `${words} (${code})${detail ? `: ${detail}` : ""}`;
}

export interface EvidenceText {
  label: string;
  value: string;
}

export function describeEvidence(kind: string, hex: string): EvidenceText {
  const clean = hex.replace(/^0x/, "").toLowerCase();
  const bytes = clean.length / 2;
  switch (kind) {
    case "channel-open":
      if (bytes === 36)
        return { label: "funding outpoint", value: `${clean.slice(0, 64)}:${parseInt(clean.slice(64), 16)}` };
      break;
    case "channel-close":
      if (bytes === 32) return { label: "closing txid", value: clean };
      break;
    case "loop-out":
    case "loop-in":
      if (bytes === 32) return { label: "swap hash", value: clean };
      break;
    case "lv-transfer":
      if (bytes === 32) return { label: "anchor txid", value: clean };
      break;
    case "fee-policy":
      if (bytes === 32) return { label: "sha256 of the applied policy set", value: clean };
      break;
    case "rebalance-policy":
      if (bytes === 32) return { label: "sha256 of the policy payload", value: clean };
      break;
    case "watchtower":
      if (bytes === 32) return { label: "sha256 of pubkey@host", value: clean };
      break;
  }
  return { label: "evidence", value: clean || "(empty)" };
}

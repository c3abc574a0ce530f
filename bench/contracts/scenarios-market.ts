// Cost scenarios for the vault and the LV market: proposing the largest vault-set (seven guardians, the
// validator's longest path) and an lv-pricing, against proposing a channel-open in the same run, and the relay's
// liquidity report with its vault-sats.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { EXAMPLES, exampleXpub } from "../../offchain/actions/examples.ts";
import { encodeActionHex, type Action } from "../../offchain/actions/index.ts";
import { BENCH_BODY, type Context, type Scenario } from "./measure.ts";

const example = (kind: Action["kind"]): Action => EXAMPLES.find((a) => a.kind === kind)!;
const vault = example("vault-set");
const LARGEST_VAULT = {
  ...vault,
  payload: {
    ...vault.payload,
    guardianKeys: ["31", "32", "33", "34", "35", "36", "37"].map(exampleXpub),
    guardianThreshold: 4n,
  },
} as Action;

function propose(ctx: Context, action: Action, proposer: string) {
  return ctx.call(
    "proposals",
    "propose",
    [
      Cl.stringAscii(action.kind),
      Cl.bufferFromHex(encodeActionHex(action)),
      Cl.stringUtf8("bench"),
      Cl.stringUtf8(BENCH_BODY),
      Cl.none(),
    ],
    proposer,
  );
}

const snapshot: ClarityValue = Cl.tuple({
  "onchain-sats": Cl.uint(50_000_000),
  "outbound-sats": Cl.uint(7_000_000),
  "inbound-sats": Cl.uint(3_000_000),
  channels: Cl.uint(12),
  "lv-reserve": Cl.uint(1_000_000),
  "lv-withdrawal": Cl.uint(0),
  "vault-sats": Cl.uint(25_000_000),
});

const market: Scenario = {
  name: "market",
  run(ctx) {
    // three proposers, so max-active-per-proposer never binds
    const channelOpen = propose(ctx, example("channel-open"), ctx.wallet(1));
    const vaultSet = propose(ctx, LARGEST_VAULT, ctx.wallet(2));
    const lvPricing = propose(ctx, example("lv-pricing"), ctx.wallet(3));
    const report = ctx.call("liquidity-oracle", "report-liquidity", [snapshot], ctx.wallet(6));
    const payloadBytes = encodeActionHex(LARGEST_VAULT).length / 2;
    return {
      rows: [
        { name: "proposals.propose (channel-open, baseline)", cost: channelOpen },
        { name: `proposals.propose (vault-set, 7 guardians, ${payloadBytes}-byte payload)`, cost: vaultSet },
        { name: "proposals.propose (lv-pricing)", cost: lvPricing },
        { name: "liquidity-oracle.report-liquidity (with vault-sats)", cost: report },
      ],
      ratios: [
        {
          name: "propose runtime: vault-set (7 guardians) vs channel-open",
          value: vaultSet.runtime,
          baseline: channelOpen.runtime,
          ratio: vaultSet.runtime / channelOpen.runtime,
          note: "the validator's longest path: ten keys checked and compared pairwise",
        },
      ],
    };
  },
};

export const marketScenarios: Scenario[] = [market];

// Every kind in words, with its units, from the codec's examples and the variants that change the sentence.
import { describe, expect, it } from "vitest";
import { ACTION_KINDS, type Action } from "../../actions/index.ts";
import { EXAMPLES } from "../../actions/examples.ts";
import { describeAction, shortHex } from "../src/model/describe-action.ts";

const WALLET_1 = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5";
const example = <K extends Action["kind"]>(kind: K) =>
  EXAMPLES.find((a) => a.kind === kind) as Extract<Action, { kind: K }>;
const openExample = example("channel-open");
const feeExample = example("fee-policy");

const CASES: [string, Action, string][] = [
  [
    "channel-open",
    openExample,
    "Open a 1,000,000 sat channel to 02111111…1111@127.0.0.1:9735, push 10,000 sats; " +
      "fees 1,000 msat + 100 ppm, CLTV delta 40 blocks",
  ],
  [
    "channel-open, private, 2,000,000 sats, push 0",
    {
      kind: "channel-open",
      payload: {
        ...openExample.payload,
        localSats: 2_000_000n,
        pushSats: 0n,
        private: true,
        host: "node.example:9735",
      },
    },
    "Open a 2,000,000 sat private channel to 02111111…1111@node.example:9735, push 0 sats; " +
      "fees 1,000 msat + 100 ppm, CLTV delta 40 blocks",
  ],
  ["channel-close", example("channel-close"), "Close the channel abababab…abab:1, paying at most 20 sat/vB"],
  [
    "channel-close, forced",
    { kind: "channel-close", payload: { ...example("channel-close").payload, force: true } },
    "Force-close the channel abababab…abab:1, paying at most 20 sat/vB",
  ],
  [
    "fee-policy",
    feeExample,
    "Set the fees of the channel abababab…abab:0 to 1,000 msat + 200 ppm, " +
      "inbound discount 500 msat + 50 ppm, CLTV delta 80 blocks",
  ],
  [
    "fee-policy on every channel",
    { kind: "fee-policy", payload: { ...feeExample.payload, target: null } },
    "Set the fees of every channel to 1,000 msat + 200 ppm, inbound discount 500 msat + 50 ppm, CLTV delta 80 blocks",
  ],
  [
    "rebalance-policy",
    example("rebalance-policy"),
    "Rebalance 02111111…1111 to keep at least 20% inbound and 20% outbound, swap fees at most 5,000 ppm, " +
      "a budget of 500,000 sats per 144 burn blocks, at most 2 swaps in flight",
  ],
  [
    "loop-out",
    example("loop-out"),
    "Loop out 250,000 sats to bcrt1qexampleexampleexample0000, paying at most 5,000 sats in fees",
  ],
  ["loop-in", example("loop-in"), "Loop in 250,000 sats through 02111111…1111, paying at most 5,000 sats in fees"],
  ["lv-transfer", example("lv-transfer"), "Move 1,000 LV units from the reserve wallet to the operations wallet"],
  ["watchtower", example("watchtower"), "Add the watchtower 03222222…2222@127.0.0.1:9911"],
  [
    "lv-allocation",
    example("lv-allocation"),
    "Split new LV 20% to infrastructure, 30% to channels, 50% to the reserve",
  ],
  ["relay-set", example("relay-set"), `Enable ${WALLET_1} as a relay`],
  ["setting in its unit", example("setting"), "Set max-fee-ppm to 4,000 (ppm)"],
  [
    "setting in GT",
    { kind: "setting", payload: { key: "proposal-bond", value: 250_500_000n } },
    "Set proposal-bond to 250.5 GT",
  ],
  ["gt-grant", example("gt-grant"), `Mint 1 GT to ${WALLET_1}`],
  ["member-attestor", example("member-attestor"), `Enable ${WALLET_1} as a member attestor`],
  ["guardian-set", example("guardian-set"), `Disable ${WALLET_1} as a guardian`],
  [
    "contract-proposal",
    example("contract-proposal"),
    `Run the contract ${WALLET_1}.upgrade-1 (code hash ${shortHex(example("contract-proposal").payload.codeHash)})`,
  ],
  ["treasury-transfer", example("treasury-transfer"), `Pay 5 GT from the treasury to ${WALLET_1}`],
  [
    "vault-set",
    example("vault-set"),
    "Set the DAO vault (descriptor hash 5a5a5a5a…5a5a): everyday spends by the relay 043587cf…0101 and the " +
      "co-signer 043587cf…0202; 2 of 3 guardians after 4,320 blocks; the last-resort key 043587cf…2121 after " +
      "12,960 blocks; fees at most 50 sat/vB",
  ],
  [
    "lv-pricing",
    example("lv-pricing"),
    "Price LV at 1,000 msat per unit with a 1% spread; a premium of 20 bps per 1% of inbound below 50%, at most " +
      "5%; quotes valid 60 s; at most 1,000,000 LV units a trade and 10,000,000 per 144 Stacks blocks",
  ],
];

describe("describeAction", () => {
  it.each(CASES)("%s", (_name, action, words) => {
    expect(describeAction(action)).toBe(words);
  });

  it("has a case for every kind", () => {
    expect(new Set(CASES.map(([, action]) => action.kind))).toEqual(new Set(ACTION_KINDS));
  });
});

describe("shortHex", () => {
  it.each([
    ["ab".repeat(32), "abababab…abab"],
    ["0123456789abcdef01", "01234567…ef01"],
    ["0123456789abc", "0123456789abc"],
    ["", ""],
  ])("%s -> %s", (hex, short) => {
    expect(shortHex(hex)).toBe(short);
  });
});

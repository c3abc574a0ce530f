// The TypeScript codec against the chain: what offchain/actions encodes is what proposals stores and prints,
// and the codec rejects exactly what action-validator rejects, with the same error name.
import { describe, expect, it } from "vitest";
import { Cl, ClarityType } from "@stacks/transactions";
import { decodeAction, encodeActionHex, validateAction, type ActionError } from "../offchain/actions/index.ts";
import { EXAMPLES, EXAMPLE_PROPOSAL_NAME, EXAMPLE_PROPOSAL_SOURCE } from "../offchain/actions/examples.ts";
import { REJECTIONS } from "../offchain/actions/rejections.ts";
import { errorName } from "../offchain/clarity/errors.ts";
import { call, printsWithTopic, read, uint, w } from "./helpers/chain.ts";

describe("the codec against proposals.propose", () => {
  it.each(EXAMPLES.map((a) => [a.kind, a] as const))(
    "round-trips a %s through propose and proposal-created",
    (kind, action) => {
      const hex = encodeActionHex(action);
      // the example contract-proposal pins the code of a contract wallet_1 deploys
      if (kind === "contract-proposal")
        simnet.deployContract(EXAMPLE_PROPOSAL_NAME, EXAMPLE_PROPOSAL_SOURCE, { clarityVersion: 4 }, w[1]);
      const { result, events } = call(
        "proposals",
        "propose",
        [
          Cl.stringAscii(kind),
          Cl.bufferFromHex(hex),
          Cl.stringUtf8(`round trip ${kind}`),
          Cl.stringUtf8(`The ${kind} example.`),
          Cl.none(),
        ],
        w[1],
      );
      expect(result.type).toBe(ClarityType.ResponseOk);
      const [created] = printsWithTopic(events, "proposal-created");
      if (!created || created.type !== ClarityType.Tuple) throw new Error("no proposal-created event");
      const payload = created.value.payload!;
      if (payload.type !== ClarityType.Buffer) throw new Error("payload is not a buffer");
      expect(payload.value).toBe(hex);
      expect(decodeAction(kind, payload.value)).toEqual(action);
      expect(uint(result)).toBe(1n);
    },
  );
});

describe("the codec's rules against action-validator", () => {
  it.each(REJECTIONS.map((r) => [r.name, r] as const))("both reject %s with the same error", (_, rejection) => {
    let codec = "accepted";
    try {
      validateAction(rejection.action);
    } catch (error) {
      codec = (error as ActionError).code;
    }
    const chain = read("action-validator", "validate", [
      Cl.stringAscii(rejection.action.kind),
      Cl.bufferFromHex(encodeActionHex(rejection.action)),
    ]);
    if (chain.type !== ClarityType.ResponseErr || chain.value.type !== ClarityType.UInt)
      throw new Error(`chain accepted ${rejection.name}`);
    expect(`action-validator.${codec}`).toBe(errorName(BigInt(chain.value.value)));
  });
});

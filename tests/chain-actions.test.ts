import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { bytesOf, call, deployer, err, w } from "./helpers/chain.ts";
import { runAsDao } from "./helpers/lifecycle.ts";
import { settingPayload } from "./helpers/payloads.ts";

describe("apply-action", () => {
  it("refuses anyone but the DAO with ERR_UNAUTHORIZED", () => {
    const payload = bytesOf(settingPayload("max-fee-ppm", 4000n));
    expect(call("chain-actions", "apply-action", [Cl.stringAscii("setting"), payload], w[1]).result).toEqual(
      err("chain-actions", "ERR_UNAUTHORIZED"),
    );
  });

  it.each(["channel-open", "contract-proposal", "no-such-kind"])(
    "refuses %s, which it does not apply, with ERR_NOT_A_CHAIN_KIND",
    (kind) => {
      expect(runAsDao(`(contract-call? '${deployer}.chain-actions apply-action "${kind}" 0x00)`).result).toEqual(
        err("chain-actions", "ERR_NOT_A_CHAIN_KIND"),
      );
    },
  );

  it("answers the owning contract's refusal: a setting out of bounds is dao-settings' ERR_OUT_OF_BOUNDS", () => {
    const payload = Buffer.from(Cl.serialize(settingPayload("max-attempts", 99n)), "hex").toString("hex");
    expect(runAsDao(`(contract-call? '${deployer}.chain-actions apply-action "setting" 0x${payload})`).result).toEqual(
      err("dao-settings", "ERR_OUT_OF_BOUNDS"),
    );
  });
});

import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { bytesOf, call, deployer, err, printsWithTopic, read, w } from "./helpers/chain.ts";
import { proposal, runAsDao } from "./helpers/lifecycle.ts";
import { lvPricing, settingPayload, vaultSet, xpub } from "./helpers/payloads.ts";

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

describe("apply-action: vault-set and lv-pricing", () => {
  it("a passed vault-set stores the vault in dao-settings, which prints vault-set", () => {
    const payload = vaultSet({ "guardian-keys": Cl.list([xpub("11"), xpub("12")]), "guardian-threshold": Cl.uint(1) });
    const receipt = proposal("vault-set", payload).enact();
    const setAt = Cl.uint(simnet.blockHeight);
    expect(read("dao-settings", "get-vault")).toBeSome(
      Cl.tuple({ ...(payload.type === "tuple" ? payload.value : {}), "set-at": setAt }),
    );
    expect(printsWithTopic(receipt.events, "vault-set")).toHaveLength(1);
  });

  it("a passed lv-pricing stores the pricing in lv-ledger, which prints lv-pricing-set", () => {
    const payload = lvPricing({ "reference-msat": Cl.uint(2_500) });
    const receipt = proposal("lv-pricing", payload).enact();
    const stored = Cl.tuple({
      ...(payload.type === "tuple" ? payload.value : {}),
      "set-at": Cl.uint(simnet.blockHeight),
    });
    expect(read("lv-ledger", "get-lv-pricing")).toBeSome(stored);
    expect(printsWithTopic(receipt.events, "lv-pricing-set")).toEqual([
      Cl.tuple({ ...(stored.type === "tuple" ? stored.value : {}), topic: Cl.stringAscii("lv-pricing-set") }),
    ]);
  });
});

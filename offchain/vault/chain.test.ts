import { Cl } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { readVault, toVaultOnChain } from "./chain.ts";
import { vaultKeysFromChain, xpubBytes } from "./keys.ts";
import { KEYS, XPUB } from "./test/fixtures.ts";

const vaultTuple = () =>
  Cl.tuple({
    "descriptor-hash": Cl.buffer(new Uint8Array(32).fill(7)),
    "relay-key": Cl.buffer(xpubBytes(XPUB.relay)),
    "cosigner-key": Cl.buffer(xpubBytes(XPUB.cosigner)),
    "guardian-keys": Cl.list(KEYS.guardians.map((g) => Cl.buffer(xpubBytes(g)))),
    "guardian-threshold": Cl.uint(2),
    "recovery-older": Cl.uint(144),
    "last-resort-key": Cl.buffer(xpubBytes(XPUB.lastResort)),
    "last-resort-older": Cl.uint(4320),
    "max-fee-rate": Cl.uint(25),
    "set-at": Cl.uint(12),
  });

describe("readVault", () => {
  it("reads get-vault from dao-settings and yields the registered keys", async () => {
    const calls: string[] = [];
    const stacks = {
      readOnly: async (contract: string, fn: string) => {
        calls.push(`${contract}::${fn}`);
        return Cl.some(vaultTuple());
      },
    };
    const vault = await readVault(stacks, "ST1DEPLOYER");
    expect(calls).toEqual(["ST1DEPLOYER.dao-settings::get-vault"]);
    expect(vault?.maxFeeRate).toBe(25n);
    expect(vault?.setAt).toBe(12n);
    expect(vault?.descriptorHash).toBe("07".repeat(32));
    expect(vault && vaultKeysFromChain(vault)).toEqual(KEYS);
  });

  it("none means no vault is registered", () => {
    expect(toVaultOnChain(Cl.none())).toBeUndefined();
  });

  it("a mistyped field names itself", () => {
    const bad = Cl.some(Cl.tuple({ ...vaultTuple().value, "guardian-keys": Cl.uint(1) }));
    expect(() => toVaultOnChain(bad)).toThrow("get-vault.guardian-keys should be list, got uint");
  });
});

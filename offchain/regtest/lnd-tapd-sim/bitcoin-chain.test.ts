// The simulated chain: coin selection with change, lnd's insufficient-funds refusal, confirmations and labels.
import { describe, expect, it } from "vitest";
import { SimChain } from "./bitcoin-chain.ts";

function funded(coins: number[]): SimChain {
  const chain = new SimChain({ defaultFeeRate: 10 });
  chain.addExternalTx(coins.map((value) => ({ address: chain.newWalletAddress("w", "p2tr"), value })));
  chain.mine(1);
  return chain;
}

describe("SimChain.send", () => {
  it("spends the largest coins first, pays the fee and returns change to the wallet", () => {
    const chain = funded([50_000, 200_000, 10_000]);
    const tx = chain.send("w", [{ address: chain.newWalletAddress("other", "p2wpkh"), value: 120_000 }], {
      label: "x",
    });
    expect(tx.inputs).toHaveLength(1);
    expect(tx.fee).toBe((11 + 58 + 43 * 2) * 10);
    expect(chain.balanceOf("w")).toEqual({ confirmed: 60_000, unconfirmed: 200_000 - 120_000 - tx.fee });
    expect(chain.netAmount("w", tx)).toBe(-120_000 - tx.fee);
    expect(tx.label).toBe("x");
  });

  it("refuses an amount the confirmed coins cannot cover, changing nothing", () => {
    const chain = funded([10_000]);
    expect(() => chain.send("w", [{ address: chain.newWalletAddress("o", "p2tr"), value: 10_000 }])).toThrow(
      /insufficient funds available to construct transaction/,
    );
    expect(chain.balanceOf("w")).toEqual({ confirmed: 10_000, unconfirmed: 0 });
  });

  it("does not spend unconfirmed coins unless asked", () => {
    const chain = new SimChain();
    chain.addExternalTx([{ address: chain.newWalletAddress("w", "p2tr"), value: 100_000 }]);
    expect(() => chain.send("w", [{ address: chain.newWalletAddress("o", "p2tr"), value: 1_000 }])).toThrow(
      /insufficient funds/,
    );
    expect(
      chain.send("w", [{ address: chain.newWalletAddress("o", "p2tr"), value: 1_000 }], { minConfs: 0 }).inputs,
    ).toHaveLength(1);
  });

  it("counts confirmations from the block that includes the transaction", () => {
    const chain = funded([100_000]);
    const tx = chain.send("w", [{ address: chain.newWalletAddress("o", "p2tr"), value: 1_000 }]);
    expect(chain.confirmations(tx.txid)).toBe(0);
    chain.mine(3);
    expect(chain.confirmations(tx.txid)).toBe(3);
    expect(chain.tx(tx.txid)?.blockHeight).toBe(chain.height - 2);
  });
});

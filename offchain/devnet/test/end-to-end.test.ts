// The emulated node driven end to end by the real @stacks/transactions client, as the relay will drive it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastTransaction, cvToString, fetchCallReadOnlyFunction, fetchNonce, Cl } from "@stacks/transactions";
import type { NodeAccountResponse } from "../api-types.ts";
import type { Devnet } from "../index.ts";
import { COUNTER, DEPLOYER, clientNetwork, counterCall, startFixtureDevnet } from "./helpers.ts";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startFixtureDevnet();
});
afterAll(async () => {
  await devnet.stop();
});

async function waitForStatus(txid: string): Promise<{ tx_status: string; tx_result?: { repr: string } }> {
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${devnet.url}/extended/v1/tx/0x${txid}`);
    const body = (await response.json()) as { tx_status: string; tx_result?: { repr: string } };
    if (body.tx_status !== "pending") return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`transaction ${txid} still pending`);
}

describe("contract call through the real client", () => {
  it("broadcasts a signed call, mines it on the block timer, and shows its print event in the logs route", async () => {
    const nonce = await fetchNonce({ address: devnet.account("wallet_1").address, ...clientNetwork(devnet) });
    const tx = await counterCall(devnet, "wallet_1", "incr", [Cl.uint(7)], { nonce });
    const broadcast = await broadcastTransaction({ transaction: tx, ...clientNetwork(devnet) });
    expect(broadcast).toEqual({ txid: tx.txid() });

    const mined = await waitForStatus(tx.txid());
    expect(mined.tx_status).toBe("success");
    expect(mined.tx_result?.repr).toBe("(ok u7)");

    const count = await fetchCallReadOnlyFunction({
      contractAddress: DEPLOYER,
      contractName: "counter",
      functionName: "get-count",
      functionArgs: [],
      senderAddress: devnet.account("wallet_2").address,
      ...clientNetwork(devnet),
    });
    expect(cvToString(count)).toBe("u7");

    const logs = (await (await fetch(`${devnet.url}/extended/v2/smart-contracts/${COUNTER}/logs`)).json()) as {
      results: { tx_id: string; contract_log: { topic: string; value: { repr: string } } }[];
    };
    const ours = logs.results.find((log) => log.tx_id === `0x${tx.txid()}`);
    expect(ours?.contract_log.topic).toBe("print");
    expect(ours?.contract_log.value.repr).toBe(
      `(tuple (caller ${devnet.account("wallet_1").address}) (count u7) (topic "incremented"))`,
    );
  });

  it("charges the fee to the sender's STX balance and advances the nonce", async () => {
    const address = devnet.account("wallet_3").address;
    const before = (await (await fetch(`${devnet.url}/v2/accounts/${address}`)).json()) as NodeAccountResponse;
    const tx = await counterCall(devnet, "wallet_3", "incr", [Cl.uint(1)], { fee: 4321 });
    await broadcastTransaction({ transaction: tx, ...clientNetwork(devnet) });
    expect((await waitForStatus(tx.txid())).tx_status).toBe("success");
    const after = (await (await fetch(`${devnet.url}/v2/accounts/${address}`)).json()) as NodeAccountResponse;
    expect(BigInt(before.balance) - BigInt(after.balance)).toBe(4321n);
    expect(after.nonce).toBe(before.nonce + 1);
  });

  it("mines a runtime error as abort_by_response with the fee charged and no state change", async () => {
    const countBefore = devnet.chain.host.readOnly(COUNTER, "get-count", [], DEPLOYER).result;
    const tx = await counterCall(devnet, "wallet_4", "boom", []);
    await broadcastTransaction({ transaction: tx, ...clientNetwork(devnet) });
    const mined = await waitForStatus(tx.txid());
    expect(mined.tx_status).toBe("abort_by_response");
    expect(mined.tx_result?.repr).toBe("(err none)");
    expect(devnet.chain.host.readOnly(COUNTER, "get-count", [], DEPLOYER).result).toEqual(countBefore);
    expect(devnet.chain.nextNonce(devnet.account("wallet_4").address)).toBe(1n);
  });
});

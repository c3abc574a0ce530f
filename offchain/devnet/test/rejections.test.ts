// Bad transactions are refused the way a Stacks node refuses them, with its reason names, and none of them changes
// chain state. Nonce gaps are held until filled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastTransaction, Cl, Pc, PostConditionMode, type TxBroadcastResult } from "@stacks/transactions";
import type { Devnet } from "../index.ts";
import { clientNetwork, counterCall, readCount, startFixtureDevnet } from "./helpers.ts";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startFixtureDevnet({ blockTimeMs: 0 });
});
afterAll(async () => {
  await devnet.stop();
});

interface StateSnapshot {
  count: bigint;
  nonce: bigint;
  balance: bigint;
  mempool: number;
  height: number;
}
async function snapshot(wallet: string): Promise<StateSnapshot> {
  const address = devnet.account(wallet).address;
  return {
    count: await readCount(devnet),
    nonce: devnet.chain.nextNonce(address),
    balance: devnet.chain.stxBalance(address),
    mempool: devnet.chain.mempool.size,
    height: devnet.chain.tip.height,
  };
}

async function postRaw(
  body: string | Uint8Array,
  contentType: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${devnet.url}/v2/transactions`, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function rejected(result: TxBroadcastResult): { reason?: string; reason_data?: unknown } {
  return "reason" in result ? result : {};
}

describe("rejections at the mempool door", () => {
  const cases: { name: string; reason: string; build: () => Promise<Uint8Array> }[] = [
    {
      name: "a bad signature (payload altered after signing)",
      reason: "SignatureValidation",
      build: async () => {
        const tx = await counterCall(devnet, "wallet_1", "incr", [Cl.uint(1)], { nonce: 0 });
        const bytes = tx.serializeBytes();
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01; // flips the uint argument's last byte
        return bytes;
      },
    },
    {
      name: "a fee below the minimum relay fee",
      reason: "FeeTooLow",
      build: async () =>
        (await counterCall(devnet, "wallet_1", "incr", [Cl.uint(1)], { nonce: 0, fee: 1 })).serializeBytes(),
    },
    {
      name: "a fee the sender cannot pay",
      reason: "NotEnoughFunds",
      build: async () =>
        (await counterCall(devnet, "wallet_1", "incr", [Cl.uint(1)], { nonce: 0, fee: 10 ** 15 })).serializeBytes(),
    },
    {
      name: "an unknown public function",
      reason: "NoSuchPublicFunction",
      build: async () => (await counterCall(devnet, "wallet_1", "get-count", [], { nonce: 0 })).serializeBytes(),
    },
    {
      name: "an argument of the wrong type",
      reason: "BadFunctionArgument",
      build: async () => (await counterCall(devnet, "wallet_1", "incr", [Cl.int(1)], { nonce: 0 })).serializeBytes(),
    },
    {
      name: "bytes that are not a transaction",
      reason: "Serialization",
      build: async () => new Uint8Array([0x80, 0x01, 0x02, 0x03]),
    },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name} with ${testCase.reason} and changes nothing`, async () => {
      const before = await snapshot("wallet_1");
      const { status, json } = await postRaw(Buffer.from(await testCase.build()).toString("hex"), "text/plain");
      expect(status).toBe(400);
      expect(json.error).toBe("transaction rejected");
      expect(json.reason).toBe(testCase.reason);
      await devnet.mine();
      expect(await snapshot("wallet_1")).toEqual(before);
    });
  }

  it("rejects a reused nonce with BadNonce carrying expected and actual", async () => {
    const first = await counterCall(devnet, "wallet_2", "incr", [Cl.uint(1)], { nonce: 0 });
    await broadcastTransaction({ transaction: first, ...clientNetwork(devnet) });
    await devnet.mine();
    const before = await snapshot("wallet_2");
    const reuse = await counterCall(devnet, "wallet_2", "incr", [Cl.uint(5)], { nonce: 0 });
    const result = rejected(await broadcastTransaction({ transaction: reuse, ...clientNetwork(devnet) }));
    expect(result.reason).toBe("BadNonce");
    expect(result.reason_data).toMatchObject({ expected: 1, actual: 0 });
    await devnet.mine();
    expect(await snapshot("wallet_2")).toEqual(before);
  });

  it("rejects a malformed JSON body with a clear 400", async () => {
    const { status, json } = await postRaw('{"tx": ', "application/json");
    expect(status).toBe(400);
    expect(String(json.message)).toMatch(/not valid JSON/);
  });
});

describe("nonce gaps", () => {
  it("holds a transaction with a nonce gap until the gap is filled, then mines both in order", async () => {
    const address = devnet.account("wallet_5").address;
    const later = await counterCall(devnet, "wallet_5", "incr", [Cl.uint(2)], { nonce: 1 });
    await broadcastTransaction({ transaction: later, ...clientNetwork(devnet) });
    await devnet.mine();
    expect(devnet.chain.txs.get(later.txid())?.status).toBe("pending");
    const nonces = await (await fetch(`${devnet.url}/extended/v1/address/${address}/nonces`)).json();
    expect(nonces).toMatchObject({ detected_missing_nonces: [0], last_mempool_tx_nonce: 1, possible_next_nonce: 2 });

    const filler = await counterCall(devnet, "wallet_5", "incr", [Cl.uint(1)], { nonce: 0 });
    await broadcastTransaction({ transaction: filler, ...clientNetwork(devnet) });
    await devnet.mine();
    const first = devnet.chain.txs.get(filler.txid())!;
    const second = devnet.chain.txs.get(later.txid())!;
    expect([first.status, second.status]).toEqual(["success", "success"]);
    expect(first.block!.height * 10_000 + first.txIndex).toBeLessThan(second.block!.height * 10_000 + second.txIndex);
  });
});

describe("post-conditions", () => {
  it("a deny-mode transfer no post-condition covers: abort_by_post_condition, fee paid, state unchanged", async () => {
    const wallet = "wallet_6";
    const mint = await counterCall(devnet, wallet, "mint", [Cl.uint(100)], { nonce: 0, postConditionMode: "allow" });
    await broadcastTransaction({ transaction: mint, ...clientNetwork(devnet) });
    await devnet.mine();
    const countBefore = await readCount(devnet);
    const balanceBefore = devnet.chain.stxBalance(devnet.account(wallet).address);

    const give = await counterCall(
      devnet,
      wallet,
      "give",
      [Cl.uint(10), Cl.principal(devnet.account("wallet_7").address)],
      {
        nonce: 1,
        postConditionMode: "deny",
      },
    );
    await broadcastTransaction({ transaction: give, ...clientNetwork(devnet) });
    await devnet.mine();

    const record = devnet.chain.txs.get(give.txid())!;
    expect(record.status).toBe("abort_by_post_condition");
    expect(record.tx.postConditionMode).toBe(PostConditionMode.Deny);
    expect(await readCount(devnet)).toBe(countBefore);
    const chips = devnet.chain.host.readOnly(
      `${devnet.account("deployer").address}.counter`,
      "get-chips",
      [Cl.principal(devnet.account("wallet_7").address)],
      devnet.account("wallet_7").address,
    ).result;
    expect(chips).toEqual(Cl.uint(0));
    expect(balanceBefore - devnet.chain.stxBalance(devnet.account(wallet).address)).toBe(1000n);
    expect(devnet.chain.nextNonce(devnet.account(wallet).address)).toBe(2n);
    expect(
      devnet.chain.logsByContract
        .get(`${devnet.account("deployer").address}.counter`)
        ?.some((l) => l.txid === give.txid()),
    ).toBe(false);
  });

  it("lets the same transfer through when a post-condition covers it", async () => {
    const wallet = "wallet_6";
    const sender = devnet.account(wallet).address;
    const asset = `${devnet.account("deployer").address}.counter::chip` as const;
    const give = await counterCall(
      devnet,
      wallet,
      "give",
      [Cl.uint(10), Cl.principal(devnet.account("wallet_7").address)],
      {
        nonce: 2,
        postConditionMode: "deny",
        postConditions: [
          Pc.principal(sender)
            .willSendEq(10)
            .ft(asset.split("::")[0] as `${string}.${string}`, "chip"),
        ],
      },
    );
    await broadcastTransaction({ transaction: give, ...clientNetwork(devnet) });
    await devnet.mine();
    expect(devnet.chain.txs.get(give.txid())?.status).toBe("success");
    expect(await readCount(devnet)).toBe(424242n);
  });
});

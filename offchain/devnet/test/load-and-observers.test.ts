// Load (10 accounts x 20 transactions broadcast concurrently: all mined, in nonce order, none lost) and the event
// observer push (a real HTTP observer receives every block with its events, in order).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastTransaction, Cl } from "@stacks/transactions";
import type { Devnet } from "../index.ts";
import type { NewBlockPayload } from "../observers.ts";
import { COUNTER, clientNetwork, counterCall, readCount, startFixtureDevnet } from "./helpers.ts";

let devnet: Devnet;
let observer: Server;
const received: { path: string; body: unknown }[] = [];

beforeAll(async () => {
  observer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => observer.listen(0, "127.0.0.1", done));
  devnet = await startFixtureDevnet({
    blockTimeMs: 100,
    observers: [`http://127.0.0.1:${(observer.address() as AddressInfo).port}`],
  });
});
afterAll(async () => {
  await devnet.stop();
  await new Promise((done) => observer.close(done));
});

describe("load", () => {
  it("mines 10 accounts x 20 concurrent transactions, all of them, each account's in nonce order", async () => {
    const wallets = [
      "wallet_1",
      "wallet_2",
      "wallet_3",
      "wallet_4",
      "wallet_5",
      "wallet_6",
      "wallet_7",
      "wallet_8",
      "faucet",
      "deployer",
    ];
    const countBefore = await readCount(devnet);
    const startNonce = new Map(wallets.map((w) => [w, devnet.chain.nextNonce(devnet.account(w).address)]));
    const signed = await Promise.all(
      wallets.flatMap((wallet) =>
        Array.from({ length: 20 }, (_, i) =>
          counterCall(devnet, wallet, "incr", [Cl.uint(1)], { nonce: startNonce.get(wallet)! + BigInt(i) }),
        ),
      ),
    );
    // Shuffle so nonces arrive out of order: gaps must be held, not rejected.
    const shuffled = [...signed].sort((a, b) => (a.txid() < b.txid() ? -1 : 1));
    const results = await Promise.all(
      shuffled.map((transaction) => broadcastTransaction({ transaction, ...clientNetwork(devnet) })),
    );
    expect(results.filter((r) => "reason" in r)).toEqual([]);

    const records = await Promise.all(signed.map((tx) => devnet.waitForTx(tx.txid())));
    expect(records.every((r) => r.status === "success")).toBe(true);
    expect(await readCount(devnet)).toBe(countBefore + 200n);
    for (const wallet of wallets) {
      const mine = records.filter((r) => r.tx.sender === devnet.account(wallet).address);
      const order = [...mine]
        .sort((a, b) => a.block!.height - b.block!.height || a.txIndex - b.txIndex)
        .map((r) => r.tx.nonce);
      expect(order).toEqual([...order].sort((a, b) => (a < b ? -1 : 1)));
      expect(devnet.chain.nextNonce(devnet.account(wallet).address)).toBe(startNonce.get(wallet)! + 20n);
    }
  });
});

describe("event observers", () => {
  it("receive every block in height order with its transactions and contract_event raw values", async () => {
    const tx = await counterCall(devnet, "wallet_1", "incr", [Cl.uint(3)]);
    await broadcastTransaction({ transaction: tx, ...clientNetwork(devnet) });
    const record = await devnet.waitForTx(tx.txid());
    await devnet.mine({ burn: 1 });
    await new Promise((r) => setTimeout(r, 300));

    const blocks = received.filter((m) => m.path === "/new_block").map((m) => m.body as NewBlockPayload);
    const heights = blocks.map((b) => b.block_height);
    expect(heights).toEqual([...heights].sort((a, b) => a - b));
    expect(new Set(heights).size).toBe(heights.length);
    const minedIn = blocks.find((b) => b.block_height === record.block!.height)!;
    expect(minedIn.transactions.map((t) => t.txid)).toContain(`0x${tx.txid()}`);
    const event = minedIn.events.find((e) => e.txid === `0x${tx.txid()}`);
    expect(event?.type).toBe("contract_event");
    if (event?.type !== "contract_event") throw new Error("no contract_event");
    expect(event.contract_event.contract_identifier).toBe(COUNTER);
    expect(Cl.deserialize(event.contract_event.raw_value)).toEqual(
      Cl.tuple({
        topic: Cl.stringAscii("incremented"),
        count: Cl.uint(record.resultRepr!.match(/u(\d+)/)![1]!),
        caller: Cl.principal(devnet.account("wallet_1").address),
      }),
    );
    expect(received.some((m) => m.path === "/new_burn_block")).toBe(true);
    const everyMinedBlock = devnet.chain.blocks.filter((b) => b.height >= heights[0]!).map((b) => b.height);
    expect(heights).toEqual(everyMinedBlock);
  });
});

// Drives the real contracts on the node emulation the way members would, with the devnet accounts: propose, vote,
// conclude. The relay's integration tests use it to get a passed action queued, and `npm run demo:machines` to pass
// the demo's lv-pricing.
import { Cl, fetchCallReadOnlyFunction, makeContractCall, cvToString, type ClarityValue } from "@stacks/transactions";
import type { Devnet } from "./index.ts";

export const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";

export async function send(
  devnet: Devnet,
  wallet: string,
  contract: string,
  fn: string,
  args: ClarityValue[],
): Promise<string> {
  const account = devnet.account(wallet);
  const response = await fetch(`${devnet.url}/extended/v1/address/${account.address}/nonces`);
  const { possible_next_nonce } = (await response.json()) as { possible_next_nonce: number };
  const tx = await makeContractCall({
    contractAddress: DEPLOYER,
    contractName: contract,
    functionName: fn,
    functionArgs: args,
    senderKey: account.privateKey,
    fee: 10_000,
    nonce: possible_next_nonce,
    // proposing escrows the GT bond; the bond's exact amount is the contract's business in these tests
    postConditionMode: "allow",
    network: "testnet",
    client: { baseUrl: devnet.url },
  });
  const body = await (
    await fetch(`${devnet.url}/v2/transactions`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: Buffer.from(tx.serializeBytes()),
    })
  ).json();
  if (typeof body !== "string") throw new Error(`${contract}.${fn} refused: ${JSON.stringify(body)}`);
  await devnet.mine();
  const record = await devnet.waitForTx(body);
  if (!record.resultRepr?.startsWith("(ok"))
    throw new Error(`${contract}.${fn} failed: ${record.status} ${record.resultRepr}`);
  return record.resultRepr ?? "";
}

export async function readOnly(devnet: Devnet, contract: string, fn: string, args: ClarityValue[]): Promise<string> {
  const value = await fetchCallReadOnlyFunction({
    contractAddress: DEPLOYER,
    contractName: contract,
    functionName: fn,
    functionArgs: args,
    senderAddress: DEPLOYER,
    network: "testnet",
    client: { baseUrl: devnet.url },
  });
  return cvToString(value);
}

/**
 * propose (wallet_1) -> voting delay -> vote (wallet_2, which never proposes, so its whole balance is credits: 10^6
 * votes, the quorum) -> voting period -> conclude -> timelock. Returns the id.
 */
export async function passAction(devnet: Devnet, kind: string, payload: Uint8Array, title: string): Promise<bigint> {
  const created = await send(devnet, "wallet_1", "proposals", "propose", [
    Cl.stringAscii(kind),
    Cl.buffer(payload),
    Cl.stringUtf8(title),
    Cl.stringUtf8(`Why: ${title}.`),
    Cl.none(),
  ]);
  const id = BigInt(/^\(ok u(\d+)\)$/.exec(created)![1]!);
  await devnet.mine({ burn: 6 });
  await send(devnet, "wallet_2", "quadratic-voting", "vote", [Cl.uint(id), Cl.uint(1_000_000), Cl.bool(true)]);
  await devnet.mine({ burn: 144 });
  await send(devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
  await devnet.mine({ burn: 6 });
  return id;
}

/**
 * The conviction path (lv-transfer and the other LV kinds): the relay (wallet_6) reports an LV reserve so the
 * request can be measured against it, wallet_1 proposes, wallets 2-4 stake, burn blocks pass until conviction
 * reaches the threshold, and wallet_3 concludes. Returns the id.
 */
export async function passConvictionAction(
  devnet: Devnet,
  kind: string,
  payload: Uint8Array,
  title: string,
  lvReserve: bigint,
): Promise<bigint> {
  await send(devnet, "wallet_6", "liquidity-oracle", "report-liquidity", [
    Cl.tuple({
      "onchain-sats": Cl.uint(0),
      "outbound-sats": Cl.uint(0),
      "inbound-sats": Cl.uint(0),
      channels: Cl.uint(0),
      "lv-reserve": Cl.uint(lvReserve),
      "lv-withdrawal": Cl.uint(0),
      "vault-sats": Cl.uint(0),
    }),
  ]);
  const created = await send(devnet, "wallet_1", "proposals", "propose", [
    Cl.stringAscii(kind),
    Cl.buffer(payload),
    Cl.stringUtf8(title),
    Cl.stringUtf8(`Why: ${title}.`),
    Cl.none(),
  ]);
  const id = BigInt(/^\(ok u(\d+)\)$/.exec(created)![1]!);
  for (const wallet of ["wallet_2", "wallet_3", "wallet_4"])
    await send(devnet, wallet, "conviction-voting", "stake", [Cl.uint(id), Cl.uint(900_000_000_000n)]);
  for (let round = 0; ; round++) {
    await devnet.mine({ burn: 100 });
    try {
      await send(devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
      break;
    } catch (error) {
      if (round >= 20 || !String(error).includes("err u1309")) throw error;
    }
  }
  await devnet.mine({ burn: 6 });
  return id;
}

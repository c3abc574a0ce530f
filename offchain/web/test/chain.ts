// What other members and the relay do on-chain during the browser tests, signed directly with their devnet keys
// (the relay's own governance helper sends and waits for each transaction).
import { Cl, makeContractDeploy } from "@stacks/transactions";
import { encodeAction, type Action } from "../../actions/index.ts";
import type { Devnet } from "../../devnet/index.ts";
import { send } from "../../devnet/governance.ts";

export { send };

/** `wallet` proposes `action`; resolves with the new proposal's id. */
export async function proposeDirect(devnet: Devnet, wallet: string, action: Action, title: string): Promise<bigint> {
  const result = await send(devnet, wallet, "proposals", "propose", [
    Cl.stringAscii(action.kind),
    Cl.buffer(encodeAction(action)),
    Cl.stringUtf8(title),
    Cl.stringUtf8(`Why: ${title}.`),
    Cl.none(),
  ]);
  const match = /^\(ok u(\d+)\)$/.exec(result);
  if (!match) throw new Error(`propose answered ${result}`);
  return BigInt(match[1]!);
}

/** The relay (wallet_6) reports the node's liquidity. */
export async function reportLiquidity(
  devnet: Devnet,
  snapshot: {
    onchain: bigint;
    outbound: bigint;
    inbound: bigint;
    channels: bigint;
    lvReserve: bigint;
    lvWithdrawal: bigint;
    vaultSats?: bigint;
  },
): Promise<void> {
  await send(devnet, "wallet_6", "liquidity-oracle", "report-liquidity", [
    Cl.tuple({
      "onchain-sats": Cl.uint(snapshot.onchain),
      "outbound-sats": Cl.uint(snapshot.outbound),
      "inbound-sats": Cl.uint(snapshot.inbound),
      channels: Cl.uint(snapshot.channels),
      "lv-reserve": Cl.uint(snapshot.lvReserve),
      "lv-withdrawal": Cl.uint(snapshot.lvWithdrawal),
      "vault-sats": Cl.uint(snapshot.vaultSats ?? 0n),
    }),
  ]);
}

/** `wallet` deploys a Clarity contract; resolves with its contract id. */
export async function deployDirect(devnet: Devnet, wallet: string, name: string, code: string): Promise<string> {
  const account = devnet.account(wallet);
  const nonces = (await (await fetch(`${devnet.url}/extended/v1/address/${account.address}/nonces`)).json()) as {
    possible_next_nonce: number;
  };
  const tx = await makeContractDeploy({
    contractName: name,
    codeBody: code,
    senderKey: account.privateKey,
    fee: 100_000,
    nonce: nonces.possible_next_nonce,
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
  if (typeof body !== "string") throw new Error(`deploying ${name} refused: ${JSON.stringify(body)}`);
  await devnet.mine();
  const record = await devnet.waitForTx(body);
  if (record.status !== "success") throw new Error(`deploying ${name} failed: ${record.status} ${record.resultRepr}`);
  return `${account.address}.${name}`;
}

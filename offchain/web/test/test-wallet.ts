// A test wallet for the browser tests: the one fake in them, standing in for the external wallet (Leather,
// Xverse) that a browser here cannot have. It registers itself in the page the way wallet extensions do
// (window.wbip_providers plus a provider object implementing @stacks/connect's StacksProvider), so the app finds
// it through @stacks/connect's own wallet picker. Its "extension background" runs in Node: it signs with a devnet
// key and broadcasts to the node, so the private key never enters the page. Every request is recorded for tests.
import { Cl, makeContractCall, type PostConditionModeName } from "@stacks/transactions";
import type { BrowserContext } from "playwright-core";

export const TEST_WALLET_ID = "LvdaoTestWallet";
export const TEST_WALLET_NAME = "lvdao test wallet";

export interface WalletAccount {
  address: string;
  privateKey: string;
}

export interface WalletRequest {
  method: string;
  params: Record<string, unknown> | null;
  /** The txid the wallet broadcast, for stx_callContract. */
  txid?: string;
}

type RpcResponse =
  | { jsonrpc: "2.0"; id: string; result: unknown }
  | { jsonrpc: "2.0"; id: string; error: { code: number; message: string } };

/**
 * Runs in the page before any app script: registers the provider. Kept as source text, not a function, so no
 * transpiler helper (esbuild's __name) can leak into the page.
 */
function providerScript(id: string, name: string): string {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#f7931a"/></svg>';
  const icon = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  return `(() => {
    const bridge = (method, params) => window.__lvdaoTestWallet(method, params === undefined ? null : params);
    window[${JSON.stringify(id)}] = { request: (method, params) => bridge(method, params) };
    const provider = { id: ${JSON.stringify(id)}, name: ${JSON.stringify(name)}, icon: ${JSON.stringify(icon)} };
    window.wbip_providers = [...(window.wbip_providers || []), provider];
  })();`;
}

export class TestWallet {
  readonly requests: WalletRequest[] = [];
  /** When set, the next signing request is answered as if the person pressed "cancel". */
  rejectNext = false;
  private sequence = 0;

  constructor(
    private readonly nodeUrl: string,
    private account: WalletAccount,
    private readonly network = "devnet",
  ) {}

  get address(): string {
    return this.account.address;
  }

  /** Switches the wallet to another account, as a person would in the extension. */
  use(account: WalletAccount): void {
    this.account = account;
  }

  async install(context: BrowserContext): Promise<void> {
    await context.exposeFunction("__lvdaoTestWallet", (method: string, params: Record<string, unknown> | null) =>
      this.handle(method, params),
    );
    await context.addInitScript({ content: providerScript(TEST_WALLET_ID, TEST_WALLET_NAME) });
  }

  /** The last stx_callContract request. */
  lastCall(): WalletRequest {
    const call = this.requests.filter((r) => r.method === "stx_callContract").at(-1);
    if (!call) throw new Error("the wallet was never asked to sign a contract call");
    return call;
  }

  callCount(): number {
    return this.requests.filter((r) => r.method === "stx_callContract").length;
  }

  private async handle(method: string, params: Record<string, unknown> | null): Promise<RpcResponse> {
    const id = `test-${++this.sequence}`;
    const request: WalletRequest = { method, params };
    this.requests.push(request);
    const fail = (code: number, message: string): RpcResponse => ({ jsonrpc: "2.0", id, error: { code, message } });
    if (params?.network !== undefined && params.network !== this.network)
      return fail(-32602, `this wallet is on ${this.network}, not ${String(params.network)}`);
    try {
      switch (method) {
        case "getAddresses":
        case "stx_getAddresses":
          return {
            jsonrpc: "2.0",
            id,
            result: { addresses: [{ symbol: "STX", address: this.account.address, publicKey: "" }] },
          };
        case "stx_callContract": {
          if (this.rejectNext) {
            this.rejectNext = false;
            return fail(4001, "User rejected the request");
          }
          request.txid = await this.callContract(params ?? {});
          return { jsonrpc: "2.0", id, result: { txid: `0x${request.txid}` } };
        }
        default:
          return fail(-32601, `method ${method} is not supported by the test wallet`);
      }
    } catch (error) {
      return fail(-32603, (error as Error).message);
    }
  }

  private async callContract(params: Record<string, unknown>): Promise<string> {
    const [contractAddress, contractName] = String(params.contract).split(".");
    if (!contractAddress || !contractName) throw new Error(`bad contract ${String(params.contract)}`);
    const args = (params.functionArgs as string[] | undefined) ?? [];
    const nonces = (await (
      await fetch(`${this.nodeUrl}/extended/v1/address/${this.account.address}/nonces`)
    ).json()) as { possible_next_nonce: number };
    const tx = await makeContractCall({
      contractAddress,
      contractName,
      functionName: String(params.functionName),
      functionArgs: args.map((hex) => Cl.deserialize(hex)),
      postConditions: (params.postConditions as string[] | undefined) ?? [],
      postConditionMode: (params.postConditionMode as PostConditionModeName | undefined) ?? "deny",
      senderKey: this.account.privateKey,
      fee: 10_000,
      nonce: nonces.possible_next_nonce,
      network: "testnet",
      client: { baseUrl: this.nodeUrl },
    });
    const response = await fetch(`${this.nodeUrl}/v2/transactions`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: Buffer.from(tx.serializeBytes()),
    });
    const body = (await response.json()) as unknown;
    if (typeof body !== "string") throw new Error(`the node refused the transaction: ${JSON.stringify(body)}`);
    return body.replace(/^0x/, "");
  }
}

// What the relay-facing scenario needs from a running Lightning stack, real (offchain/regtest/harness/index.ts) or
// simulated (offchain/regtest/lnd-tapd-sim): the nodes.json description, a way to mine, and clients built by the client
// layer itself from the files nodes.json names (so connecting is exercised too).
import { connectLnd, type AuthenticatedLnd } from "../connection/lnd.ts";
import { connectLoop, type LoopClient } from "../connection/loop.ts";
import { connectTapd, type TapdClient } from "../connection/tapd.ts";
import { parseLightningStack, type LightningStack } from "../connection/stack-file.ts";

export interface StackUnderTest {
  mode: "regtest" | "simulator";
  stack: LightningStack;
  /** loopd's credentials inline, as the harnesses' handles give them; otherwise the files stack.loop names. */
  loop?: { restUrl: string; macaroonHex: string; cert: string } | null;
  mine(blocks: number): Promise<unknown>;
}

export interface StackClients {
  lnd: { dao: AuthenticatedLnd; peer: AuthenticatedLnd; contributor: AuthenticatedLnd };
  tapd: { dao: TapdClient; contributor: TapdClient };
  loop: LoopClient | null;
  close(): void;
}

export function clientsFor(target: StackUnderTest): StackClients {
  const checked = parseLightningStack(target.stack);
  const lnd = (name: "dao" | "peer" | "contributor") =>
    connectLnd({
      socket: checked.nodes[name].lnd_socket,
      certPath: checked.nodes[name].lnd_cert_path,
      macaroonPath: checked.nodes[name].lnd_macaroon_path,
    });
  const tapd = (name: "dao" | "contributor") => {
    const node = checked.nodes[name];
    return connectTapd({
      socket: node.tapd_socket as string,
      certPath: node.tapd_cert_path,
      macaroonPath: node.tapd_macaroon_path,
    });
  };
  const clients = {
    lnd: { dao: lnd("dao"), peer: lnd("peer"), contributor: lnd("contributor") },
    tapd: { dao: tapd("dao"), contributor: tapd("contributor") },
    loop: target.loop
      ? connectLoop({ restUrl: target.loop.restUrl, cert: target.loop.cert, macaroonHex: target.loop.macaroonHex })
      : checked.loop
        ? connectLoop({
            restUrl: checked.loop.rest_url,
            certPath: checked.loop.cert_path,
            macaroonPath: checked.loop.macaroon_path,
          })
        : null,
  };
  return {
    ...clients,
    close: () => {
      clients.tapd.dao.close();
      clients.tapd.contributor.close();
    },
  };
}

/** Polls `probe` until it returns a value (not undefined), mining a block between tries when asked. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  options: { what: string; timeoutMs?: number; mine?: () => Promise<unknown> },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${options.what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
    if (options.mine) await options.mine();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The structure of a value: keys and primitive types, arrays by their first element. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (value instanceof Date) return "Date";
  if (Array.isArray(value)) return value.length === 0 ? "[]" : [shapeOf(value[0])];
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

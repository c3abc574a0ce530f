// scanLiquidity: the liquidity monitor's and reporter's view of every open channel (balances, activity) with
// totals, from one ListChannels. Raw gRPC on the `lightning` object's own lnd client, keeping the answer as bytes
// for a lean reader (responses/list-channels-wire.ts): `lightning`'s getChannels decodes every field of every channel
// and takes ~0.2 s for 10,000 channels, over the relay's 50 ms budget (npm run bench:lightning).
// Requires `offchain:read`.
import type { Client } from "@grpc/grpc-js";
import type { AuthenticatedLnd } from "lightning";
import { fromGrpcError } from "../errors.ts";
import { DEFAULT_TIMEOUT_MS } from "../connection/grpc-call.ts";
import { liquidityFromListChannelsBytes } from "../responses/list-channels-wire.ts";
import type { LiquidityScan } from "../responses/lnd-channels.ts";
import type { LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const scanLiquidityRpc: readonly string[] = ["/lnrpc.Lightning/ListChannels"];

const EMPTY_REQUEST = Buffer.alloc(0);

export async function scanLiquidity(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<LiquidityScan> {
  const client = args.lnd.default as Client;
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest<Buffer, Buffer>(
      "/lnrpc.Lightning/ListChannels",
      () => EMPTY_REQUEST,
      (answer: Buffer) => answer,
      EMPTY_REQUEST,
      { deadline: new Date(Date.now() + (args.timeoutMs ?? DEFAULT_TIMEOUT_MS)) },
      (error, answer) =>
        error || !answer
          ? reject(fromGrpcError(error ?? { details: "empty answer" }, "lnd", "scanLiquidity"))
          : resolve(answer),
    );
  });
  return liquidityFromListChannelsBytes(bytes);
}

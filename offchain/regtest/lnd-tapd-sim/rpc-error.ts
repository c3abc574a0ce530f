// An error a simulated daemon answers with. lnd and tapd return most errors as plain Go errors, which gRPC
// delivers with status UNKNOWN (2); the few that carry a specific status say so.
import { status } from "@grpc/grpc-js";

export class SimRpcError extends Error {
  constructor(
    message: string,
    readonly code: status = status.UNKNOWN,
  ) {
    super(message);
  }
}

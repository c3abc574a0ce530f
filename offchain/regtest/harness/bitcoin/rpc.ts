// JSON-RPC to the harness's btcd: offchain/lightning's client, with the RPC password and certificate read from the
// files btcd's layout names.
import { readFileSync } from "node:fs";
import { BtcdRpc as BtcdClient } from "../../../lightning/connection/btcd.ts";

export { BtcdRpcError } from "../../../lightning/connection/btcd.ts";

export interface BtcdRpcConfig {
  /** host:port */
  host: string;
  user: string;
  passwordPath: string;
  certPath: string;
}

export class BtcdRpc extends BtcdClient {
  constructor(readonly config: BtcdRpcConfig) {
    super({
      host: config.host,
      user: config.user,
      password: readFileSync(config.passwordPath, "utf8").trim(),
      certPem: readFileSync(config.certPath, "utf8"),
    });
  }
}

// What the demo runs on: the DAO node (lnd and tapd), a customer node that buys the robots' services from outside,
// the robots' own nodes, the DAO's loopd, and the chain. sim-network.ts builds one on the simulators, real-network.ts
// on the real regtest daemons.
import type { AuthenticatedLnd } from "lightning";
import type { TapdClient } from "../../lightning/connection/tapd.ts";
import type { StackNode } from "../../lightning/index.ts";

export interface RobotNode {
  name: string;
  lnd: AuthenticatedLnd;
  tapd: TapdClient;
}

export interface DemoNetwork {
  mode: "simulator" | "regtest";
  /** the DAO node, with its daemons' sockets, certs and macaroons for the relay's config */
  dao: { lnd: AuthenticatedLnd; tapd: TapdClient; node: StackNode };
  /** `sellers`: the robots the customer buys from (all when omitted; a robot on the customer's own node is not) */
  customer: { name: string; lnd: AuthenticatedLnd; sellers?: string[] };
  robots: RobotNode[];
  loop: { restUrl: string; cert: string; macaroonHex: string };
  /** the LV group key (hex) */
  groupKey: string;
  height(): number;
  mine(blocks: number): Promise<void>;
  /** an on-chain address of the DAO's wallet, for loop-out sweeps */
  newChainAddress(): Promise<string>;
  stop(): Promise<void>;
}

// The loopd simulator as its own process, for `npm run regtest:up` (which returns while the stack keeps running):
//   node --import tsx offchain/regtest/loopd-sim/main.ts --nodes <nodes file> --state-dir <dir> --port <port>
// `--nodes` is a JSON file with the stack's `dao` and `peer` node entries (lnd socket, cert and macaroon paths).
// Stops cleanly on SIGTERM or SIGINT, deleting its certificate and macaroon.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { connectLnd, type StackNode } from "../../lightning/index.ts";
import { LOOP_SIM_BANNER, startLoopSim } from "./index.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string" },
    "state-dir": { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
  },
});
if (!values.nodes || !values["state-dir"] || !values.port || !/^\d{1,5}$/.test(values.port)) {
  console.error("usage: loopd-sim/main.ts --nodes <file> --state-dir <dir> --port <port> [--host 127.0.0.1]");
  process.exit(2);
}
const nodes = JSON.parse(readFileSync(values.nodes, "utf8")) as { dao: StackNode; peer: StackNode };
const lnd = (node: StackNode) =>
  connectLnd({ socket: node.lnd_socket, certPath: node.lnd_cert_path, macaroonPath: node.lnd_macaroon_path });
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const sim = await startLoopSim({
  lnd: { dao: lnd(nodes.dao), peer: lnd(nodes.peer) },
  nodes,
  stateDir: values["state-dir"],
  host: values.host ?? "127.0.0.1",
  port: Number(values.port),
  log,
});
log(`${LOOP_SIM_BANNER} listening on ${sim.restUrl}`);
const shutdown = async (signal: string) => {
  log(`${signal}: stopping`);
  await sim.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

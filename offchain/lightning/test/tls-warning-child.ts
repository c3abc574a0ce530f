// Child process of tls-servername.test.ts: connects to a stack's dao lnd, tapd and loopd through the client layer
// (or, with `raw-lnd`, to lnd by its IP address through `lightning` directly, the case that warns), makes one call
// to each, and prints every process warning as `WARNING <code>`. Node emits DEP0123 once per process, so a fresh
// process sees the first IP ServerName whichever daemon it comes from.
import { authenticatedLndGrpc } from "lightning";
import { readFileSync } from "node:fs";
import { readLightningStack } from "../connection/stack-file.ts";
import { clientsFor } from "./stack.ts";
import { getLoopOutTerms, getNodeInfo, getTapdInfo } from "../index.ts";

process.on("warning", (warning) => console.log(`WARNING ${(warning as { code?: string }).code ?? warning.name}`));
const [stackFile, mode] = process.argv.slice(2);
const stack = readLightningStack(stackFile as string);
if (mode === "raw-lnd") {
  const dao = stack.nodes.dao;
  const { lnd } = authenticatedLndGrpc({
    cert: readFileSync(dao.lnd_cert_path).toString("base64"),
    macaroon: readFileSync(dao.lnd_macaroon_path).toString("hex"),
    socket: dao.lnd_socket,
  });
  await getNodeInfo({ lnd });
} else {
  const clients = clientsFor({ mode: "simulator", stack, mine: async () => [] });
  await getNodeInfo({ lnd: clients.lnd.dao });
  await getTapdInfo({ tapd: clients.tapd.dao });
  if (clients.loop) await getLoopOutTerms({ loop: clients.loop });
  clients.close();
}
console.log("calls done");
process.exit(0);

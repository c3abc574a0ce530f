// `npm run regtest:up`: starts btcd, the three lnds, the two tapds and the loopd simulator as background processes,
// funds the wallets, opens the peer -> dao channel and writes offchain/regtest/.state/nodes.json. Stop it with
// `npm run regtest:down`; mine with `npm run regtest:mine -- <blocks>`.
import { DEFAULT_STATE_DIR, startRegtest } from "../harness/index.ts";
import { RegtestSetupError } from "../harness/binaries.ts";
import { isAlive, recordedProcesses, STACK_FILE, stackMode } from "./stack-state.ts";

async function main() {
  const alive = recordedProcesses().filter((p) => isAlive(p.pid));
  if (alive.length > 0) {
    console.error(
      `regtest:up: a regtest stack is already running (${alive.map((p) => `${p.name} pid ${p.pid}`).join(", ")}); ` +
        "stop it first with `npm run regtest:down`",
    );
    process.exit(1);
  }
  if (stackMode() === "simulator") {
    console.error(`regtest:up: ${STACK_FILE} describes a running simulator stack (npm start?); stop that first`);
    process.exit(1);
  }
  const handle = await startRegtest({
    stateDir: DEFAULT_STATE_DIR,
    detached: true,
    progress: (line) => console.log(line),
  });
  console.log("");
  for (const [name, node] of Object.entries(handle.nodes)) {
    console.log(
      `${name.padEnd(11)} lnd ${node.lnd_socket}  p2p ` +
        `${node.p2p_host}${node.tapd_socket ? `  tapd ${node.tapd_socket}` : ""}  ${node.pubkey}`,
    );
  }
  console.log(`loopd       ${handle.loop.restUrl} (simulator)`);
  console.log(
    `btcd        ${String(handle.stack.bitcoin.rpc_host)} (regtest; mine with npm run regtest:mine -- <blocks>)`,
  );
  for (const [daemon, version] of Object.entries(handle.versions)) console.log(`version     ${daemon}: ${version}`);
  console.log(`\nnodes file  ${handle.stackFile}\nstop with   npm run regtest:down`);
  // The daemons run on; this process only held clients to them.
  process.exit(0);
}

main().catch((error) => {
  console.error(
    `regtest:up failed: ${error instanceof RegtestSetupError ? error.message : ((error as Error).stack ?? error)}`,
  );
  process.exit(1);
});

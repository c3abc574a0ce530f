// `lvdao cosigner start`: wires the config, the journal, the chain reader and the HTTP API, and closes them on
// SIGINT/SIGTERM.
import { ContractChain, NodeReader } from "./chain.ts";
import { loadCosignerConfig } from "./config.ts";
import { Cosigner } from "./cosigner.ts";
import { startCosignerServer } from "./http.ts";
import { CosignerJournal } from "./journal.ts";

export async function cosignerStart(configPath: string, out: (line: string) => void): Promise<number> {
  const config = loadCosignerConfig(configPath);
  const journal = new CosignerJournal(config.journalPath);
  const reader = new NodeReader(config.stacks.nodeUrl, config.stacks.network, config.stacks.deployer);
  const cosigner = new Cosigner({
    network: config.network,
    xprv: config.key.reveal(),
    chain: new ContractChain(reader, config.stacks.deployer),
    journal,
    changeScanBound: config.changeScanBound,
  });
  const server = await startCosignerServer(config.listen, cosigner, out);
  out(`lvdao cosigner: listening on ${server.url} (key ${cosigner.xpub})`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await server.stop();
  journal.close();
  return 0;
}

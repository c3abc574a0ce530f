// `lvdao vault address|balance --config relay.toml`: the DAO's vault as the relay sees it. `address` issues the next
// receive index (journaled, so the relay never hands it out again); `balance` sums the vault's coins found through
// btcd (searchrawtransactions by address, confirmed and in the mempool apart).
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openJournal } from "../journal/open.ts";
import { StacksClient } from "../stacks/client.ts";
import { BtcdVault } from "../vault/bind.ts";
import { chainVaultKeys } from "../vault/chain-keys.ts";
import { UsageError, type Io } from "./io.ts";

export const VAULT_USAGE = `  lvdao vault address --config <relay.toml> [--json]
      a fresh receive address of the DAO's vault (the keys registered with vault-set; the index kept in the journal)
  lvdao vault balance --config <relay.toml> [--json]
      the vault's coins through btcd: confirmed and unconfirmed sats, and the coin count`;

export async function vaultCommand(command: string | undefined, args: string[], io: Io): Promise<number> {
  if (command !== "address" && command !== "balance")
    throw new UsageError(`unknown vault command: ${command ?? ""} (address, balance, keygen, descriptor)`);
  const { values } = parseArgs({
    args,
    options: { config: { type: "string" }, json: { type: "boolean" } },
    strict: true,
  });
  if (!values.config) throw new UsageError(`vault ${command} needs --config <relay.toml>`);
  const { config } = loadConfig(values.config);
  if (!config.vault) throw new UsageError("the relay config names no vault ([vault] cosigner_url and the rest)");
  const journal = await openJournal(config.journal);
  try {
    const stacks = new StacksClient({
      apiUrl: config.stacks.apiUrl,
      nodeUrl: config.stacks.nodeUrl,
      network: config.stacks.network,
      senderKey: config.stacks.relayKey,
      feeUstx: config.stacks.feeUstx,
      confirmations: config.stacks.confirmations,
      txTimeoutMs: config.stacks.txTimeoutMs,
      pollMs: config.stacks.txPollIntervalMs,
    });
    const vault = new BtcdVault(config.vault, journal.jobs, chainVaultKeys(stacks, config.stacks.deployer));
    if (command === "address") {
      const { address, index } = await vault.issueAddress(0);
      io.out(values.json ? JSON.stringify({ address, index, branch: 0 }) : address);
      return 0;
    }
    const coins = await vault.coins();
    const confirmed = coins.filter((c) => c.confirmations > 0).reduce((sum, c) => sum + c.sats, 0n);
    const unconfirmed = coins.filter((c) => c.confirmations === 0).reduce((sum, c) => sum + c.sats, 0n);
    io.out(
      values.json
        ? JSON.stringify({ confirmedSats: `${confirmed}`, unconfirmedSats: `${unconfirmed}`, coins: coins.length })
        : `confirmed ${confirmed} sats, unconfirmed ${unconfirmed} sats, ${coins.length} coin(s)`,
    );
    return 0;
  } finally {
    await journal.close();
  }
}

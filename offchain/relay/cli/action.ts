// `lvdao action encode|decode|propose`, on the shared payload codec.
import type { Io } from "./main.ts";
import { UsageError } from "./main.ts";

export const ACTION_USAGE = `  lvdao action encode <kind> <json | @file>
      print the payload (hex) for an action given in its JSON form
  lvdao action decode <kind> <hex>
      print an action payload in its JSON form
  lvdao action propose --config <relay.toml> --key-file <file> --title <text> [--details-hash <hex>] <kind> <json | @file>
      sign and broadcast proposals.propose with the key in the file; prints the txid and the proposal id`;

export async function actionCommand(command: string | undefined, _args: string[], _io: Io): Promise<number> {
  throw new UsageError(`unknown action command: ${command ?? "(none)"}`);
}

// watchtower: add or remove a tower in lnd's watchtower client. Both are stated as the end state the DAO wants, so
// they are idempotent on the node: a tower already present (add) or already absent (remove) is done. Evidence:
// sha256 of "<pubkey>@<host>".
import { requireDaemon, type KindHandler } from "../context.ts";
import { watchtowerEvidence } from "../evidence.ts";

export const watchtower: KindHandler<"watchtower"> = {
  kind: "watchtower",
  describe: ({ payload: a }) => (a.add ? `add watchtower ${a.pubkey}@${a.host}` : `remove watchtower ${a.pubkey}`),
  onchainSpend: () => 0n,

  async reconcile({ payload: action }, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const tower = (await lnd.listTowers()).find((t) => t.pubkey === action.pubkey);
    const done = action.add ? tower?.addresses.includes(action.host) === true : tower === undefined;
    return done ? "applied" : undefined;
  },

  async act({ payload: action }, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    if (action.add) {
      await lnd.addTower({ pubkey: action.pubkey, host: action.host });
    } else {
      if ((await lnd.listTowers()).some((t) => t.pubkey === action.pubkey)) await lnd.removeTower(action.pubkey);
    }
    return "applied";
  },

  settle: async ({ payload }) => watchtowerEvidence(payload.pubkey, payload.host),
};

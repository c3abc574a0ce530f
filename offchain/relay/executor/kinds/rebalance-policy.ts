// rebalance-policy: nothing to do on the node; the policy is stored in the journal for the liquidity monitor. The
// chain activates it (and its budget) when report-success confirms, so the monitor enforces the newest stored policy
// whose action is reported as executed (activePolicy below), and the older one until then.
import type { ActionOf } from "../../../actions/index.ts";
import type { Journal } from "../../journal/types.ts";
import type { KindHandler } from "../context.ts";
import { hex32, sha256 } from "../evidence.ts";

const policyKey = (actionId: bigint | string): string => `rebalance-policy:${actionId}`;

export interface StoredPolicy {
  actionId: string;
  policy: Record<string, string | string[]>;
  payloadSha256: string;
}

const serialize = ({ kind, payload }: ActionOf<"rebalance-policy">): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries({ kind, ...payload }).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));

export const rebalancePolicy: KindHandler<"rebalance-policy"> = {
  kind: "rebalance-policy",
  describe: ({ payload: a }) =>
    `make active: inbound >= ${a.minInboundPct}%, outbound >= ${a.minOutboundPct}%, swap fee <= ${a.maxSwapFeePpm} ppm, ` +
    `budget ${a.budgetSats} sats per ${a.budgetPeriod} blocks, ${a.maxInFlight} in flight, ${a.peers.length || "all"} peers`,
  onchainSpend: () => 0n,

  async reconcile(_action, { journal, actionId }) {
    const stored = await journal.getValue(policyKey(actionId));
    return stored ? (JSON.parse(stored) as StoredPolicy).payloadSha256 : undefined;
  },

  async act(action, { journal, actionId, now }) {
    const row = await journal.get(actionId);
    const payloadSha256 = Buffer.from(sha256(Buffer.from(row?.payloadHex ?? "", "hex"))).toString("hex");
    const stored: StoredPolicy = { actionId: String(actionId), policy: serialize(action), payloadSha256 };
    await journal.setValue(policyKey(actionId), JSON.stringify(stored), now());
    return payloadSha256;
  },

  settle: async (_action, ref) => hex32(ref, "payload hash"),
};

/**
 * The policy the monitor should enforce: the newest stored one whose action is reported as executed. Reads only the
 * stored policies and their rows, never the whole journal (a journal of 10,000 actions made every /status load all).
 */
export async function activePolicy(journal: Journal): Promise<StoredPolicy | undefined> {
  const stored = (await journal.listValues(policyKey(""))).map((entry) => JSON.parse(entry.value) as StoredPolicy);
  stored.sort((a, b) => (BigInt(b.actionId) > BigInt(a.actionId) ? 1 : BigInt(b.actionId) < BigInt(a.actionId) ? -1 : 0));
  for (const policy of stored) {
    const row = await journal.get(BigInt(policy.actionId));
    if (row?.state === "reported" && row.outcome === "success") return policy;
  }
  return undefined;
}

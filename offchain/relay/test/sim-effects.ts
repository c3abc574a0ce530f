// What the simulators' daemons hold for one action, found by the tag the relay gives it (the channel's memo, the
// transfer's label): the kill and failover suites check that an action left exactly one effect.
import { getChannels, getPendingChannels } from "lightning";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import type { SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";

/** Distinct funding outpoints dao's lnd lists with this memo, pending or open. */
export async function channelsWithMemo(sim: SimulatorHandle, memo: string): Promise<number> {
  const { lnd } = sim;
  const pending = (await getPendingChannels({ lnd: lnd.dao })).pending_channels.filter((c) => c.description === memo);
  const open = (await getChannels({ lnd: lnd.dao })).channels.filter(
    (c) => (c as { description?: string }).description === memo,
  );
  return new Set([...pending, ...open].map((c) => `${c.transaction_id}:${c.transaction_vout}`)).size;
}

/** dao's tapd transfers with this label. */
export async function transfersLabelled(sim: SimulatorHandle, label: string): Promise<number> {
  const { transfers } = await unaryCall(sim.tapd.dao.assets, "ListTransfers", {}, { daemon: "tapd", action: "test" });
  return (transfers as { label: string }[]).filter((t) => t.label === label).length;
}

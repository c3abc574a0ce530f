// getForwards: every HTLC this node forwarded in [after, before), all pages, oldest first; the revenue sweeper sums
// their fees. Requires `offchain:read`.
import { getForwards as lndGetForwards, type AuthenticatedLnd } from "lightning";
import { forwardsFromLnd, type Forward } from "../responses/lnd-node.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getForwardsRpc: readonly string[] = ["/lnrpc.Lightning/ForwardingHistory"];

const PAGE = 1000;

export async function getForwards(
  args: { lnd: AuthenticatedLnd; after: Date; before: Date } & LndCallOptions,
): Promise<Forward[]> {
  const check = new Checker("lnd", "getForwards");
  if (!(args.after instanceof Date) || Number.isNaN(args.after.getTime())) check.fail("after must be a Date");
  if (!(args.before instanceof Date) || Number.isNaN(args.before.getTime())) check.fail("before must be a Date");
  if (args.before <= args.after) check.fail("before must be later than after");
  const forwards: Forward[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await viaLightning(
      "getForwards",
      () =>
        lndGetForwards(
          token
            ? { lnd: args.lnd, token }
            : { lnd: args.lnd, after: args.after.toISOString(), before: args.before.toISOString(), limit: PAGE },
        ),
      args,
    );
    // `lightning` sorts each page by time and reverses it (newest first); reversing again restores lnd's own order,
    // oldest first, including among forwards in the same second.
    forwards.push(...forwardsFromLnd(page).reverse());
    if (!page.next || page.forwards.length === 0) return forwards;
    token = page.next;
  }
}

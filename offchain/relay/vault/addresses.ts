// The vault's address indices, kept in the journal's job table so a restarted relay (or a second one sharing the
// journal) never hands out an index twice: `vault-address:<branch>` holds how many indices were issued, and each
// issue is a compare-and-set on it. The chain holds the keys; the journal only says how far along the relay is.
import type { JobTable } from "../journal/types.ts";

const key = (branch: 0 | 1) => `vault-address:${branch}`;

export async function issuedCount(table: JobTable, branch: 0 | 1): Promise<number> {
  const value = await table.get(key(branch));
  return value === undefined ? 0 : Number(value);
}

/** Reserves the next index on `branch`; the index is journaled before anything can use it. */
export async function issueIndex(table: JobTable, branch: 0 | 1, now: number): Promise<number> {
  for (;;) {
    const current = await table.get(key(branch));
    const index = current === undefined ? 0 : Number(current);
    if (await table.compareAndSet(key(branch), current, String(index + 1), now)) return index;
  }
}

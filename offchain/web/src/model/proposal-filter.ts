// The proposals list's filters: a status group, a kind, and words of the title.
import type { ProposalStatus } from "../stacks/types.ts";

export const STATUS_GROUPS = {
  all: null,
  active: ["pending", "active"],
  passed: ["succeeded", "queued", "executing"],
  executed: ["executed"],
  failed: ["failed", "expired", "vetoed"],
  defeated: ["defeated", "cancelled"],
} as const satisfies Record<string, readonly ProposalStatus[] | null>;

export type StatusGroup = keyof typeof STATUS_GROUPS;

export interface ProposalFilter {
  group: StatusGroup;
  /** "" for every kind. */
  kind: string;
  /** Words that must all appear in the title, any case. */
  search: string;
}

export const NO_FILTER: ProposalFilter = { group: "all", kind: "", search: "" };

export function matchesFilter(
  item: { proposal: { title: string; kind: string }; status: ProposalStatus },
  filter: ProposalFilter,
): boolean {
  const statuses: readonly ProposalStatus[] | null = STATUS_GROUPS[filter.group];
  if (statuses && !statuses.includes(item.status)) return false;
  if (filter.kind && item.proposal.kind !== filter.kind) return false;
  const title = item.proposal.title.toLowerCase();
  return filter.search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => title.includes(word));
}

// The proposal page's readings of the contracts' print events: the text, the voters, the stakers; and the words for
// a relay's failure code.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import type { LogEntry } from "../src/stacks/api.ts";
import {
  lastSupportChange,
  memberHistoryFromLogs,
  proposalTextFromLogs,
  stakeChangesFromLogs,
  stakersOf,
  votersFromLogs,
} from "../src/stacks/events.ts";
import { describeRelayFailure } from "../src/model/receipts.ts";

const A = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5";
const B = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
let sequence = 0;
const entry = (value: ClarityValue): LogEntry => ({
  txid: (++sequence).toString(16).padStart(64, "0"),
  eventIndex: 0,
  hex: Cl.serialize(value),
});
const voteCast = (id: number, voter: string, votes: number, support: boolean, total: number) =>
  entry(
    Cl.tuple({
      topic: Cl.stringAscii("vote-cast"),
      id: Cl.uint(id),
      voter: Cl.principal(voter),
      votes: Cl.uint(votes),
      support: Cl.bool(support),
      "total-votes": Cl.uint(total),
      "credits-spent": Cl.uint(total * total),
    }),
  );
const stakeChange = (id: number, who: string, stake: number, total: number) =>
  entry(
    Cl.tuple({
      topic: Cl.stringAscii("conviction-updated"),
      id: Cl.uint(id),
      who: Cl.principal(who),
      stake: Cl.uint(stake),
      "total-stake": Cl.uint(total),
      conviction: Cl.uint(0),
    }),
  );

describe("votersFromLogs", () => {
  it("sums each voter's calls into their last total, for this proposal only, most votes first", () => {
    const logs = [
      voteCast(1, A, 100, true, 100),
      voteCast(2, A, 5, false, 5),
      voteCast(1, B, 300, false, 300),
      voteCast(1, A, 50, true, 150),
    ];
    expect(votersFromLogs(logs, 1n).map(({ txids, ...line }) => ({ ...line, calls: txids.length }))).toEqual([
      { voter: B, support: false, votes: 300n, creditsSpent: 90_000n, calls: 1 },
      { voter: A, support: true, votes: 150n, creditsSpent: 22_500n, calls: 2 },
    ]);
    expect(votersFromLogs(logs, 3n)).toEqual([]);
  });
});

describe("stakeChangesFromLogs and stakersOf", () => {
  it("keeps each staker's last stake and drops those who unstaked everything", () => {
    const changes = stakeChangesFromLogs(
      [stakeChange(4, A, 10, 10), stakeChange(4, B, 30, 40), stakeChange(5, A, 99, 99), stakeChange(4, A, 0, 30)],
      4n,
    );
    expect(changes.map((c) => [c.who, c.stake, c.totalStake])).toEqual([
      [A, 10n, 10n],
      [B, 30n, 40n],
      [A, 0n, 30n],
    ]);
    expect(stakersOf(changes)).toEqual([{ who: B, stake: 30n }]);
  });
});

describe("proposalTextFromLogs", () => {
  const created = (fields: Record<string, ClarityValue>) =>
    entry(
      Cl.tuple({ topic: Cl.stringAscii("proposal-created"), id: Cl.uint(7), title: Cl.stringUtf8("t"), ...fields }),
    );
  it.each([
    [
      "a body and a link",
      { body: Cl.stringUtf8("# Why\n\nMore inbound."), link: Cl.some(Cl.stringAscii("https://forum.example/t/7")) },
      "# Why\n\nMore inbound.",
      "https://forum.example/t/7",
    ],
    ["a body, no link", { body: Cl.stringUtf8("text"), link: Cl.none() }, "text", null],
    ["an event without the fields", {}, null, null],
  ])("%s", (_name, fields, body, link) => {
    const text = proposalTextFromLogs([created(fields)], 7n);
    expect([text?.body, text?.link]).toEqual([body, link]);
  });
  it("is null when the proposal's event is not in the logs", () => {
    expect(proposalTextFromLogs([created({})], 8n)).toBeNull();
  });
});

describe("describeRelayFailure", () => {
  it.each([
    [
      409n,
      "NOT_FOUND channel abab:0",
      "the action conflicts with the Lightning node's state (409): NOT_FOUND channel abab:0",
    ],
    [400n, "", "the relay found the payload invalid (400)"],
    [403n, "max channel", "the action is over a limit the relay's operator set, so it never ran (403): max channel"],
    [503n, "lnd timeout", "a Lightning daemon stayed unreachable (503): lnd timeout"],
    [7n, "", "the relay reported a failure (7)"],
  ])("%s %s", (code, detail, words) => {
    expect(describeRelayFailure(code, detail)).toBe(words);
  });
});

describe("memberHistoryFromLogs", () => {
  const created = (id: number, proposer: string) =>
    entry(Cl.tuple({ topic: Cl.stringAscii("proposal-created"), id: Cl.uint(id), proposer: Cl.principal(proposer) }));
  it("keeps the member's proposals, last vote per proposal and last stake per proposal, newest first", () => {
    const history = memberHistoryFromLogs(A, {
      proposals: [created(1, A), created(2, B), created(3, A)],
      quadratic: [
        voteCast(1, A, 10, true, 10),
        voteCast(2, A, 4, false, 4),
        voteCast(1, A, 5, true, 15),
        voteCast(1, B, 9, true, 9),
      ],
      conviction: [
        stakeChange(4, A, 10, 10),
        stakeChange(5, A, 7, 7),
        stakeChange(4, A, 0, 0),
        stakeChange(5, B, 3, 10),
      ],
    });
    expect(history).toEqual({
      proposed: [3n, 1n],
      votes: [
        { id: 1n, support: true, votes: 15n, creditsSpent: 225n },
        { id: 2n, support: false, votes: 4n, creditsSpent: 16n },
      ],
      stakes: [
        { id: 4n, stake: 0n },
        { id: 5n, stake: 7n },
      ],
    });
  });
});

describe("lastSupportChange", () => {
  const closed = (id: number, total: number) =>
    entry(Cl.tuple({ topic: Cl.stringAscii("conviction-closed"), id: Cl.uint(id), "total-stake": Cl.uint(total) }));
  it.each<[string, LogEntry[], unknown]>([
    ["nothing staked yet", [], null],
    ["a first stake", [stakeChange(4, A, 10, 10)], { kind: "stake", id: 4n, who: A, delta: 10n }],
    [
      "an unstake, as a negative change",
      [stakeChange(4, A, 10, 10), stakeChange(5, B, 3, 3), stakeChange(4, A, 4, 4)],
      { kind: "stake", id: 4n, who: A, delta: -6n },
    ],
    ["a proposal closing", [stakeChange(4, A, 10, 10), closed(4, 10)], { kind: "closed", id: 4n, released: 10n }],
    [
      "an unstake from a closed proposal does not move S",
      [stakeChange(4, A, 10, 10), closed(4, 10), stakeChange(4, A, 0, 0)],
      { kind: "closed", id: 4n, released: 10n },
    ],
  ])("%s", (_name, logs, change) => {
    const found = lastSupportChange(logs);
    if (found) {
      const { txid: _txid, ...rest } = found;
      expect(rest).toEqual(change);
    } else expect(found).toEqual(change);
  });
});

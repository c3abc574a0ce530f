// The hand-written ListChannels encoder must write exactly the message protobufjs writes from the same object.
import { createRequire } from "node:module";
import { join } from "node:path";
import * as protoLoader from "@grpc/proto-loader";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeListChannelsResponse } from "./lnd-channel-wire.ts";

const require = createRequire(import.meta.url);
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const protos = join(require.resolve("lightning/package.json"), "..", "grpc", "protos");
const definition = protoLoader.loadSync(join(protos, "lightning.proto"), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const listChannels = (
  definition["lnrpc.Lightning"] as unknown as Record<string, protoLoader.MethodDefinition<object, object>>
).ListChannels!;

const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
const sats = fc.integer({ min: 0, max: 2_100_000_000_000_000 }).map(String);
const constraints = fc.record({
  csv_delay: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  chan_reserve_sat: uint64,
  dust_limit_sat: uint64,
  max_pending_amt_msat: uint64,
  min_htlc_msat: uint64,
  max_accepted_htlcs: fc.integer({ min: 0, max: 483 }),
});
const channel = fc.record({
  active: fc.boolean(),
  remote_pubkey: hex(33),
  channel_point: fc.tuple(hex(32), fc.integer({ min: 0, max: 2 ** 32 - 1 })).map(([t, v]) => `${t}:${v}`),
  chan_id: uint64,
  capacity: sats,
  local_balance: sats,
  remote_balance: sats,
  commit_fee: sats,
  commit_weight: sats,
  fee_per_kw: sats,
  unsettled_balance: sats,
  total_satoshis_sent: sats,
  total_satoshis_received: sats,
  num_updates: uint64,
  pending_htlcs: fc.constant([]),
  csv_delay: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  private: fc.boolean(),
  initiator: fc.boolean(),
  chan_status_flags: fc.constantFrom("ChanStatusDefault", "", "ChanStatusLocalDataLoss|ChanStatusRestored"),
  local_chan_reserve_sat: sats,
  remote_chan_reserve_sat: sats,
  static_remote_key: fc.boolean(),
  commitment_type: fc.constantFrom("ANCHORS", "LEGACY", "SIMPLE_TAPROOT"),
  lifetime: sats,
  uptime: sats,
  close_address: fc.constantFrom("", "bcrt1qsomething"),
  push_amount_sat: sats,
  thaw_height: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  local_constraints: constraints,
  remote_constraints: constraints,
  alias_scids: fc.constant([]),
  zero_conf: fc.boolean(),
  zero_conf_confirmed_scid: uint64,
  peer_alias: fc.string(),
  peer_scid_alias: uint64,
  memo: fc.string({ maxLength: 500 }),
});

describe("encodeListChannelsResponse", () => {
  it("writes the same message protobufjs writes", () => {
    fc.assert(
      fc.property(fc.array(channel, { maxLength: 5 }), (channels) => {
        const response = { channels };
        const ours = listChannels.responseDeserialize(encodeListChannelsResponse(response));
        const theirs = listChannels.responseDeserialize(listChannels.responseSerialize(response));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses what it cannot write rather than dropping it", () => {
    expect(() =>
      encodeListChannelsResponse({ channels: [{ commitment_type: "FUTURE", pending_htlcs: [], alias_scids: [] }] }),
    ).toThrow(/unknown commitment type/);
  });
});

describe("encodeListChannelsResponse with the views' cache", () => {
  it("reuses a channel's fixed fields but always writes its current balances", async () => {
    const { SimLnd } = await import("./lnd-node.ts");
    const { channelMessage } = await import("./lnd-channel-views.ts");
    const { initialPolicy } = await import("./channels.ts");
    const dao = new SimLnd({ name: "dao", towerClient: false, towerServer: false });
    const peer = new SimLnd({ name: "peer", towerClient: false, towerServer: false });
    const simChannel = {
      txid: "ab".repeat(32),
      vout: 1,
      capacity: 1_000_000,
      opener: dao,
      partner: peer,
      balanceMsat: new Map([
        ["dao", 600_000_000n],
        ["peer", 396_530_000n],
      ]),
      pushSat: 0,
      commitFee: 2810,
      isPrivate: false,
      memo: "lvdao:1",
      status: "open",
      fundingHeight: 5,
      confirmationsRequired: 3,
      chanId: "5497558204416",
      policies: new Map([
        ["dao", initialPolicy(1_000_000, 0)],
        ["peer", initialPolicy(1_000_000, 0)],
      ]),
      close: null,
      numUpdates: 0,
      sentMsat: new Map(),
      receivedMsat: new Map(),
      csvDelay: 144,
      openedAt: 0,
    } as const;
    const decode = (side: typeof dao) =>
      listChannels.responseDeserialize(
        encodeListChannelsResponse({ channels: [channelMessage(simChannel as never, side, true, 100)] }),
      ) as { channels: Array<Record<string, unknown>> };
    const first = decode(dao).channels[0];
    simChannel.balanceMsat.set("dao", 500_000_000n);
    const second = decode(dao).channels[0];
    const theirs = decode(peer).channels[0];
    expect([first?.local_balance, second?.local_balance]).toEqual(["600000", "500000"]);
    expect([second?.memo, second?.initiator, theirs?.memo, theirs?.initiator, theirs?.remote_pubkey]).toEqual([
      "lvdao:1",
      true,
      "",
      false,
      dao.pubkey,
    ]);
    const viaProtobufjs = listChannels.responseDeserialize(
      listChannels.responseSerialize({ channels: [channelMessage(simChannel as never, dao, true, 100)] }),
    ) as { channels: unknown[] };
    expect(second).toEqual(viaProtobufjs.channels[0]);
  });
});

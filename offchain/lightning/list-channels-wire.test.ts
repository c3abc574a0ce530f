// The lean ListChannels reader must agree with a full protobuf decode on every field the liquidity scan keeps,
// including short channel ids beyond 2^53 (mainnet heights), and refuse malformed bytes.
import { createRequire } from "node:module";
import { join } from "node:path";
import * as protoLoader from "@grpc/proto-loader";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LightningError } from "./errors.ts";
import { liquidityFromListChannelsBytes } from "./responses/list-channels-wire.ts";

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

const scid = fc.record({
  block: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
  tx: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
  vout: fc.integer({ min: 0, max: 2 ** 16 - 1 }),
});
const sats = fc.integer({ min: 0, max: 2_100_000_000_000_000 });
const channel = fc.record({
  active: fc.boolean(),
  private: fc.boolean(),
  pubkey: fc.tuple(fc.constantFrom("02", "03"), hex(32)).map(([p, k]) => p + k),
  txid: hex(32),
  vout: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  scid,
  capacity: sats,
  local: sats,
  remote: sats,
  memo: fc.string(),
});

describe("liquidityFromListChannelsBytes", () => {
  it("reads what a full encoder wrote, skipping the fields it does not need", () => {
    fc.assert(
      fc.property(fc.array(channel, { maxLength: 6 }), (channels) => {
        const bytes = listChannels.responseSerialize({
          channels: channels.map((c) => ({
            active: c.active,
            private: c.private,
            remote_pubkey: c.pubkey,
            channel_point: `${c.txid}:${c.vout}`,
            chan_id: ((BigInt(c.scid.block) << 40n) | (BigInt(c.scid.tx) << 16n) | BigInt(c.scid.vout)).toString(),
            capacity: String(c.capacity),
            local_balance: String(c.local),
            remote_balance: String(c.remote),
            commit_fee: "2810",
            num_updates: "18446744073709551615",
            local_constraints: { csv_delay: 144, chan_reserve_sat: "1000" },
            memo: c.memo,
            peer_alias: "x",
          })),
        });
        const scan = liquidityFromListChannelsBytes(Buffer.from(bytes));
        expect(scan.channels).toEqual(
          channels.map((c) => ({
            id: `${c.scid.block}x${c.scid.tx}x${c.scid.vout}`,
            channel: { txid: c.txid, vout: c.vout },
            peerPubkey: c.pubkey,
            capacitySats: c.capacity,
            localSats: c.local,
            remoteSats: c.remote,
            isActive: c.active,
            isPrivate: c.private,
          })),
        );
        expect(scan.localSats).toBe(channels.reduce((sum, c) => sum + c.local, 0));
      }),
      { numRuns: 200 },
    );
  });

  const bad: Array<[string, Buffer]> = [
    ["a truncated channel", Buffer.from([0x5a, 0x10, 0x08, 0x01])],
    ["a truncated varint", Buffer.from([0x5a, 0x02, 0x08, 0x80])],
    [
      "a channel without a pubkey",
      Buffer.from(
        listChannels.responseSerialize({ channels: [{ channel_point: `${"a".repeat(64)}:0`, chan_id: "1" }] }),
      ),
    ],
    [
      "a channel point without an index",
      Buffer.from(
        listChannels.responseSerialize({
          channels: [{ remote_pubkey: "02" + "a".repeat(64), channel_point: "a".repeat(64), chan_id: "1" }],
        }),
      ),
    ],
    ["a deprecated group wire type", Buffer.from([0x5a, 0x02, 0x0b, 0x00])],
  ];
  it.each(bad)("refuses %s as UNEXPECTED_RESPONSE", (_name, bytes) => {
    let error: unknown;
    try {
      liquidityFromListChannelsBytes(bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LightningError);
    expect((error as LightningError).code).toBe("UNEXPECTED_RESPONSE");
  });
});

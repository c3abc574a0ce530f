// The loopd REST client against a local HTTPS endpoint standing in for loopd's transport: routes, JSON field
// names, the macaroon header, certificate pinning, and how HTTP failures are classified. (The loopd simulator in
// offchain/regtest/loopd-sim is the real peer, in relay-calls tests once it exists.)
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSelfSignedCert } from "../regtest/lnd-tapd-sim/tls.ts";
import { connectLoop, type LoopClient } from "./connection/loop.ts";
import { getSwap, listSwaps, loopIn, loopOut, LightningError } from "./index.ts";

const tls = createSelfSignedCert("loopd transport stand-in");
const macaroonHex = "0201036c6f6f70" + "00".repeat(40);
const seen: Array<{ method: string; url: string; macaroon: string | undefined; body: unknown }> = [];
let answer: (method: string, url: string) => { status: number; body: unknown; delayMs?: number };
let server: Server;
let loop: LoopClient;

const swapStatus = (label: string, idByte: number) => ({
  amt: "250000",
  id: "",
  id_bytes: Buffer.alloc(32, idByte).toString("base64"),
  type: "LOOP_OUT",
  state: "INITIATED",
  failure_reason: "FAILURE_REASON_NONE",
  initiation_time: "1700000000000000000",
  last_update_time: "1700000000000000000",
  htlc_address: "",
  htlc_address_p2wsh: "bcrt1qhtlc",
  htlc_address_p2tr: "",
  cost_server: "0",
  cost_onchain: "0",
  cost_offchain: "0",
  label,
});

beforeAll(async () => {
  server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        macaroon: req.headers["grpc-metadata-macaroon"] as string | undefined,
        body: text ? JSON.parse(text) : undefined,
      });
      const { status, body, delayMs = 0 } = answer(req.method ?? "", req.url ?? "");
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  loop = connectLoop({
    restUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cert: tls.certPem,
    macaroonHex,
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("loopOut", () => {
  it("quotes, then starts the swap with the label and caps that fit the total, macaroon on every request", async () => {
    seen.length = 0;
    answer = (method, url) =>
      url.startsWith("/v1/loop/out/quote/")
        ? {
            status: 200,
            body: {
              swap_fee_sat: "1000",
              prepay_amt_sat: "100",
              htlc_sweep_fee_sat: "400",
              swap_payment_dest: Buffer.alloc(33, 2).toString("base64"),
              cltv_delta: 100,
              conf_target: 9,
            },
          }
        : method === "POST" && url === "/v1/loop/out"
          ? {
              status: 200,
              body: {
                id: "",
                id_bytes: Buffer.alloc(32, 7).toString("base64"),
                htlc_address: "bcrt1qx",
                htlc_address_p2wsh: "bcrt1qx",
                htlc_address_p2tr: "",
                server_message: "",
              },
            }
          : { status: 404, body: { code: 5, message: "no route" } };
    const started = await loopOut({
      loop,
      amountSats: 250_000,
      dest: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
      maxTotalFeeSats: 3_000,
      label: "lvdao:11",
      outgoingChannelIds: ["2x1x0"],
    });
    expect(started.id).toBe("07".repeat(32));
    expect(seen.map((r) => [r.method, r.url])).toEqual([
      ["GET", "/v1/loop/out/quote/250000?conf_target=9"],
      ["POST", "/v1/loop/out"],
    ]);
    expect(seen.every((r) => r.macaroon === macaroonHex)).toBe(true);
    expect(seen[1]?.body).toMatchObject({
      amt: "250000",
      label: "lvdao:11",
      max_swap_fee: "1000",
      max_miner_fee: "400",
      max_swap_routing_fee: "1440",
      max_prepay_routing_fee: "160",
      outgoing_chan_set: [((2n << 40n) | (1n << 16n)).toString()],
    });
  });

  it("starts nothing when the quote is over the cap", async () => {
    seen.length = 0;
    answer = () => ({
      status: 200,
      body: {
        swap_fee_sat: "2000",
        prepay_amt_sat: "100",
        htlc_sweep_fee_sat: "1500",
        swap_payment_dest: "",
        cltv_delta: 100,
        conf_target: 9,
      },
    });
    const error = await loopOut({
      loop,
      amountSats: 250_000,
      dest: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
      maxTotalFeeSats: 3_000,
      label: "lvdao:12",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "FEE_CAP_EXCEEDED", retryable: false });
    expect(seen.map((r) => r.method)).toEqual(["GET"]);
  });

  it("refuses a reserved label before any request", async () => {
    seen.length = 0;
    const error = await loopOut({
      loop,
      amountSats: 1000,
      dest: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
      maxTotalFeeSats: 10,
      label: "[reserved] x",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(seen).toHaveLength(0);
  });
});

describe("loopIn", () => {
  it("sends the last hop as base64 and gives the miner fee what the swap fee leaves", async () => {
    seen.length = 0;
    answer = (method) =>
      method === "GET"
        ? {
            status: 200,
            body: {
              swap_fee_sat: "700",
              htlc_publish_fee_sat: "300",
              cltv_delta: 1000,
              conf_target: 6,
              quoted_amt: "0",
            },
          }
        : {
            status: 200,
            body: {
              id: "",
              id_bytes: Buffer.alloc(32, 9).toString("base64"),
              htlc_address: "",
              htlc_address_p2wsh: "",
              htlc_address_p2tr: "bcrt1pin",
              server_message: "",
            },
          };
    const lastHop = "03" + "cd".repeat(32);
    const started = await loopIn({
      loop,
      amountSats: 100_000,
      maxTotalFeeSats: 2_000,
      label: "lvdao:13",
      lastHopPubkey: lastHop,
    });
    expect(started).toEqual({ id: "09".repeat(32), htlcAddress: "bcrt1pin", serverMessage: "" });
    expect(seen[0]?.url).toBe(
      `/v1/loop/in/quote/100000?conf_target=6&loop_in_last_hop=${Buffer.from(lastHop, "hex").toString("base64url")}`,
    );
    expect(seen[1]?.body).toMatchObject({
      max_swap_fee: "700",
      max_miner_fee: "1300",
      last_hop: Buffer.from(lastHop, "hex").toString("base64"),
    });
  });
});

describe("listSwaps and getSwap", () => {
  it("asks loopd to filter by label and filters again itself", async () => {
    seen.length = 0;
    answer = () => ({
      status: 200,
      body: { swaps: [swapStatus("lvdao:1", 1), swapStatus("lvdao:2", 2)], next_start_time: "0" },
    });
    const swaps = await listSwaps({ loop, label: "lvdao:2" });
    expect(swaps.map((s) => s.id)).toEqual(["02".repeat(32)]);
    expect(seen[0]?.url).toBe("/v1/loop/swaps?list_swap_filter.label=lvdao%3A2");
  });

  it("puts the swap id in the path as URL-safe base64", async () => {
    seen.length = 0;
    answer = () => ({ status: 200, body: swapStatus("lvdao:3", 0xfb) });
    expect((await getSwap({ loop, id: "fb".repeat(32) })).label).toBe("lvdao:3");
    expect(seen[0]?.url).toBe(`/v1/loop/swap/${Buffer.alloc(32, 0xfb).toString("base64url")}`);
  });
});

describe("failures", () => {
  it("classifies loopd's error body", async () => {
    answer = () => ({ status: 500, body: { code: 2, message: "max swap fee too low" } });
    expect(await listSwaps({ loop }).catch((e: unknown) => e)).toMatchObject({
      code: "DAEMON_REFUSED",
      reason: "max swap fee too low",
      retryable: false,
    });
  });

  it("times out a silent loopd as retryable", async () => {
    answer = () => ({ status: 200, body: {}, delayMs: 500 });
    expect(await listSwaps({ loop, timeoutMs: 50 }).catch((e: unknown) => e)).toMatchObject({
      code: "TIMEOUT",
      retryable: true,
    });
  });

  it("treats a closed port as retryable and a certificate it did not pin as configuration", async () => {
    const down = connectLoop({ restUrl: "https://127.0.0.1:1", cert: tls.certPem, macaroonHex });
    expect(await listSwaps({ loop: down }).catch((e: unknown) => e)).toMatchObject({
      code: "UNAVAILABLE",
      retryable: true,
    });
    const wrongPin = connectLoop({ restUrl: loop.restUrl, cert: createSelfSignedCert("other").certPem, macaroonHex });
    const error = await listSwaps({ loop: wrongPin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightningError);
    expect(error).toMatchObject({ code: "CONFIGURATION", retryable: false });
  });
});

// loopd as the executor's LoopPort, over its REST API (loopd's swap server is closed source, so lvdao runs loopd
// only as a simulator on regtest; the REST shapes are loopd's). The payload's max-fee-sats caps the sum of every fee
// limit sent: the quote's swap and miner fees first, the rest as routing-fee limits; a quote over the cap is failure
// 409. Macaroon: loop.macaroon (swap:execute, swap:read, loop:in, loop:out).
import { connectLoop, type LoopClient } from "../../lightning/connection/loop.ts";
import type { LoopConnection } from "../config.ts";
import { conflict } from "../failure.ts";
import type { LoopPort, Swap } from "../ports.ts";
import { relayCall } from "./classify.ts";

export class LoopRest implements LoopPort {
  constructor(private readonly loop: LoopClient) {}

  static connect(connection: LoopConnection): LoopRest {
    return new LoopRest(connectLoop({ restUrl: connection.restUrl, ...(connection.certPem ? { cert: connection.certPem } : {}), macaroonHex: connection.macaroon.reveal() }));
  }

  private json<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    return relayCall(() => this.loop.request(method, path, body, { action: path }) as Promise<T>);
  }

  async loopOut(request: Parameters<LoopPort["loopOut"]>[0]): Promise<{ swapHash: string }> {
    const quote = await this.json<{ swap_fee_sat: string; prepay_amt_sat: string; htlc_sweep_fee_sat: string }>("GET", `/v1/loop/out/quote/${request.amountSats}`);
    const swapFee = BigInt(quote.swap_fee_sat);
    const minerFee = BigInt(quote.htlc_sweep_fee_sat);
    const routing = request.maxTotalFeeSats - swapFee - minerFee;
    if (routing < 0n) throw conflict(`loop out quote (swap ${swapFee} + miner ${minerFee} sats) exceeds max-fee-sats ${request.maxTotalFeeSats}`);
    const prepayRouting = routing / 10n;
    const answer = await this.json<{ id: string }>("POST", "/v1/loop/out", {
      amt: request.amountSats.toString(),
      dest: request.dest,
      max_swap_fee: swapFee.toString(),
      max_prepay_amt: quote.prepay_amt_sat,
      max_miner_fee: minerFee.toString(),
      max_swap_routing_fee: (routing - prepayRouting).toString(),
      max_prepay_routing_fee: prepayRouting.toString(),
      outgoing_chan_set: request.outgoingChanIds,
      label: request.label,
      initiator: "lvdao-relay",
    });
    return { swapHash: answer.id };
  }

  async loopIn(request: Parameters<LoopPort["loopIn"]>[0]): Promise<{ swapHash: string }> {
    const quote = await this.json<{ swap_fee_sat: string; htlc_publish_fee_sat: string }>("GET", `/v1/loop/in/quote/${request.amountSats}`);
    const swapFee = BigInt(quote.swap_fee_sat);
    const minerFee = request.maxTotalFeeSats - swapFee;
    if (minerFee < BigInt(quote.htlc_publish_fee_sat)) {
      throw conflict(`loop in quote (swap ${swapFee} + miner ${quote.htlc_publish_fee_sat} sats) exceeds max-fee-sats ${request.maxTotalFeeSats}`);
    }
    const answer = await this.json<{ id: string }>("POST", "/v1/loop/in", {
      amt: request.amountSats.toString(),
      max_swap_fee: swapFee.toString(),
      max_miner_fee: minerFee.toString(),
      ...(request.lastHop ? { last_hop: Buffer.from(request.lastHop, "hex").toString("base64") } : {}),
      label: request.label,
      initiator: "lvdao-relay",
    });
    return { swapHash: answer.id };
  }

  async listSwaps(): Promise<Swap[]> {
    const answer = await this.json<{ swaps?: { id: string; type: string; state: string; label?: string }[] }>("GET", "/v1/loop/swaps");
    return (answer.swaps ?? []).map((s) => ({ swapHash: s.id, label: s.label ?? "", type: s.type === "LOOP_IN" ? "in" : "out", state: s.state }));
  }
}

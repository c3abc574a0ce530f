// loopd as the executor's LoopPort, over its REST API (loopd's swap server is closed source, so lvdao runs loopd
// only as a simulator on regtest; the REST shapes are loopd's). The payload's max-fee-sats caps the sum of every fee
// limit sent: the quote's swap and miner fees first, the rest as routing-fee limits; a quote over the cap is failure
// 409. Macaroon: loop.macaroon (swap:execute, swap:read, loop:in, loop:out).
import { request as httpsRequest } from "node:https";
import type { LoopConnection } from "../config.ts";
import { conflict, RetryableFailure } from "../failure.ts";
import type { LoopPort, Swap } from "../ports.ts";

interface RestAnswer {
  status: number;
  body: unknown;
}

export class LoopRest implements LoopPort {
  constructor(private readonly connection: LoopConnection) {}

  private send(method: "GET" | "POST", path: string, body?: unknown): Promise<RestAnswer> {
    const url = new URL(`${this.connection.restUrl}${path}`);
    const headers: Record<string, string> = { "Grpc-Metadata-macaroon": this.connection.macaroon.reveal() };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload) headers["Content-Type"] = "application/json";
    if (url.protocol === "http:") {
      return fetch(url, { method, headers, ...(payload ? { body: payload } : {}) })
        .then(async (r) => ({ status: r.status, body: await r.json().catch(() => ({})) }))
        .catch((error: unknown) => {
          throw new RetryableFailure(`loopd unreachable: ${(error as Error).message}`);
        });
    }
    return new Promise((done, fail) => {
      const req = httpsRequest(url, { method, headers, ca: this.connection.certPem, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { message: text };
          }
          done({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error) => fail(new RetryableFailure(`loopd unreachable: ${error.message}`)));
      if (payload) req.write(payload);
      req.end();
    });
  }

  private async json<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const answer = await this.send(method, path, body);
    if (answer.status >= 200 && answer.status < 300) return answer.body as T;
    const message = (answer.body as { message?: string }).message ?? JSON.stringify(answer.body);
    if (answer.status >= 500 && !/insufficient|invalid|exceed/i.test(message)) throw new RetryableFailure(`loopd ${path}: ${answer.status} ${message}`);
    throw conflict(`loopd ${path}: ${message}`);
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

// `npm start -- --seed-demo`: demo proposals in different states, made the way members make them: real transactions
// signed with the devnet wallets' keys by @stacks/transactions, broadcast to the node emulation over HTTP, mined,
// and checked. Time (burn blocks) is advanced with the node's mine control, as `POST /devnet/mine` does.
//
// With the default action configs (contracts/dao-settings.clar: quadratic kinds wait 6 burn blocks before voting,
// vote for 144, a passed relay kind waits a 6-block timelock and a `setting` 12), the end state is:
//   1  setting max-fee-ppm 4000         wallet_1  executed  (passed, timelock run, applied by a second conclude)
//   2  setting max-loop-sats 5000000    wallet_2  defeated  (most votes against)
//   3  channel-open 1,000,000 sats      wallet_3  queued    for the relay, to the peer node's real P2P address
//   4  fee-policy on a channel of dao's wallet_1  queued    for the relay, on a channel dao's lnd has open
//   5  watchtower add                   wallet_2  queued    for the relay, the peer lnd's own watchtower server
//   6  setting claim-lease 12           wallet_4  active    (voting open, one vote cast)
//   7  setting max-attempts 4           wallet_5  pending   (voting starts 6 burn blocks after creation)
// The relay, running beside the emulation under `npm start`, claims 3, 4 and 5 and carries them out against the
// Lightning side; each then reads `executed` (the relay's receipt). The Lightning targets come from the running
// stack (demo-targets.ts); without a Lightning side (--no-lightning) proposals 3 to 5 are left out.
import {
  Cl,
  broadcastTransaction,
  cvToString,
  fetchCallReadOnlyFunction,
  makeContractCall,
  PostConditionMode,
  type ClarityValue,
} from "@stacks/transactions";
import { encodeActionHex, type Action } from "../actions/index.ts";
import type { DemoTargets } from "./demo-targets.ts";
import type { Devnet } from "./index.ts";

export class SeedError extends Error {
  override name = "SeedError";
}

export interface SeededProposal {
  id: bigint;
  title: string;
  kind: string;
  proposer: string;
  /** proposals.get-proposal-status when seeding finished. */
  status: string;
}

/** A seeded proposal: who proposes what, with the text members read. */
interface ProposalSpec {
  wallet: string;
  action: Action;
  title: string;
  body: string;
  link?: string;
}

interface Call {
  wallet: string;
  contract: string;
  fn: string;
  args: ClarityValue[];
}

const FEE = 5_000n; // micro-STX, well above the 1 uSTX per byte minimum for these calls

/** Each proposal's status when seeding ends, in creation order; the Lightning ones only when targets were given. */
export const DEMO_STATUSES = {
  chain: ["executed", "defeated", "active", "pending"],
  lightning: ["executed", "defeated", "queued", "queued", "queued", "active", "pending"],
} as const;

/** The status each seeded proposal ends in once the relay has carried out the queued ones. */
export const DEMO_OUTCOMES = {
  chain: ["executed", "defeated", "active", "pending"],
  lightning: ["executed", "defeated", "executed", "executed", "executed", "active", "pending"],
} as const;

export async function seedDemo(
  devnet: Devnet,
  progress: (line: string) => void = () => undefined,
  targets: DemoTargets | null = null,
): Promise<SeededProposal[]> {
  const deployer = devnet.account("deployer").address;
  const network = { network: "testnet" as const, client: { baseUrl: devnet.url } };
  const nonces = new Map<string, bigint>();

  const nextNonce = async (address: string): Promise<bigint> => {
    let nonce = nonces.get(address);
    if (nonce === undefined) {
      const response = await fetch(`${devnet.url}/extended/v1/address/${address}/nonces`);
      if (!response.ok) throw new SeedError(`cannot read the nonce of ${address}: HTTP ${response.status}`);
      nonce = BigInt(((await response.json()) as { possible_next_nonce: number }).possible_next_nonce);
    }
    nonces.set(address, nonce + 1n);
    return nonce;
  };

  /** Signs, broadcasts and mines a batch of calls; each must succeed. Returns their results' repr. */
  const run = async (calls: Call[]): Promise<string[]> => {
    const txids: { txid: string; label: string }[] = [];
    for (const call of calls) {
      const sender = devnet.account(call.wallet);
      const tx = await makeContractCall({
        contractAddress: deployer,
        contractName: call.contract,
        functionName: call.fn,
        functionArgs: call.args,
        senderKey: sender.privateKey,
        nonce: await nextNonce(sender.address),
        fee: FEE,
        postConditionMode: PostConditionMode.Allow,
        ...network,
      });
      const result = (await broadcastTransaction({ transaction: tx, ...network })) as {
        txid: string;
        error?: string;
        reason?: string;
      };
      const label = `${call.wallet} ${call.contract}.${call.fn}`;
      if (result.error) throw new SeedError(`${label} was refused: ${result.reason ?? result.error}`);
      txids.push({ txid: result.txid, label });
    }
    await devnet.mine();
    const results: string[] = [];
    for (const { txid, label } of txids) {
      const record = await devnet.waitForTx(txid);
      if (record.status !== "success")
        throw new SeedError(`${label} failed: ${record.status} ${record.resultRepr ?? ""}`);
      results.push(record.resultRepr ?? "");
    }
    return results;
  };

  const propose = ({ wallet, action, title, body, link }: ProposalSpec): Call => ({
    wallet,
    contract: "proposals",
    fn: "propose",
    args: [
      Cl.stringAscii(action.kind),
      Cl.bufferFromHex(encodeActionHex(action)),
      Cl.stringUtf8(title),
      Cl.stringUtf8(body),
      link ? Cl.some(Cl.stringAscii(link)) : Cl.none(),
    ],
  });
  const vote = (wallet: string, id: bigint, votes: bigint, support: boolean): Call => ({
    wallet,
    contract: "quadratic-voting",
    fn: "vote",
    args: [Cl.uint(id), Cl.uint(votes), Cl.bool(support)],
  });
  const conclude = (id: bigint): Call => ({
    wallet: "wallet_5",
    contract: "proposals",
    fn: "conclude",
    args: [Cl.uint(id)],
  });
  const idOf = (repr: string): bigint => {
    const match = /^\(ok u(\d+)\)$/.exec(repr);
    if (!match) throw new SeedError(`propose returned ${repr}, not (ok id)`);
    return BigInt(match[1]!);
  };

  type Spec = ProposalSpec;
  const chainSpecs: Record<"executed" | "defeated" | "active" | "pending", Spec> = {
    executed: {
      wallet: "wallet_1",
      action: { kind: "setting", payload: { key: "max-fee-ppm", value: 4000n } },
      title: "Cap routing fees at 4000 ppm",
      body: "## Why\n\nFee policies above **4000 ppm** price the node out of most routes. Cap them.",
      link: "https://forum.example.org/t/fee-cap/1",
    },
    defeated: {
      wallet: "wallet_2",
      action: { kind: "setting", payload: { key: "max-loop-sats", value: 5_000_000n } },
      title: "Halve the Loop swap ceiling",
      body: "## Why\n\nA single Loop swap should not move more than *5,000,000 sats* of the treasury's liquidity.",
    },
    active: {
      wallet: "wallet_4",
      action: { kind: "setting", payload: { key: "claim-lease", value: 12n } },
      title: "Give the relay 12 blocks per claim",
      body: "## Why\n\nOpening a channel can take longer than the current lease; 12 blocks leaves room.",
    },
    pending: {
      wallet: "wallet_5",
      action: { kind: "setting", payload: { key: "max-attempts", value: 4n } },
      title: "Let the relay try an action four times",
      body: "## Why\n\nA failed Lightning call is often transient; a fourth attempt saves a new vote.",
    },
  };
  const lightningSpecs: Spec[] = targets
    ? [
        {
          wallet: "wallet_3",
          action: {
            kind: "channel-open",
            payload: {
              peer: targets.peer.pubkey,
              host: targets.peer.host,
              localSats: 1_000_000n,
              pushSats: 0n,
              private: false,
              baseFeeMsat: 1000n,
              feePpm: 100n,
              cltvDelta: 40n,
            },
          },
          title: "Open a 1,000,000 sat channel to the demo peer",
          body: "## Why\n\nThe demo peer routes payments the node sees often; a channel to it earns fees.",
        },
        {
          wallet: "wallet_1",
          action: {
            kind: "fee-policy",
            payload: {
              target: { txid: targets.channel.txid, vout: targets.channel.vout },
              baseFeeMsat: 500n,
              feePpm: 250n,
              inboundBaseDiscountMsat: 0n,
              inboundPpmDiscount: 25n,
              cltvDelta: 80n,
            },
          },
          title: "Charge 250 ppm on the peer channel, 25 ppm off inbound",
          body:
            "## Why\n\nThe channel is drained outbound; a higher fee slows that, " +
            "and the inbound discount invites flows back.",
        },
        {
          wallet: "wallet_2",
          action: {
            kind: "watchtower",
            payload: { add: true, pubkey: targets.tower.pubkey, host: targets.tower.host },
          },
          title: "Back up channel state to the peer's watchtower",
          body: "## Why\n\nA watchtower guards the node's channels while it is offline.",
        },
      ]
    : [];

  const first = [chainSpecs.executed, chainSpecs.defeated, ...lightningSpecs];
  progress(
    `seed-demo: ${first.length} proposals (to be executed, defeated${targets ? ", and queued for the relay" : ""})`,
  );
  const [executed, defeated, ...relayKinds] = (await run(first.map((s) => propose(s)))).map(idOf) as [
    bigint,
    bigint,
    ...bigint[],
  ];
  await devnet.mine({ burn: 6 }); // the voting delay
  progress("seed-demo: votes");
  await run([
    vote("wallet_1", executed, 600_000n, true),
    vote("wallet_2", executed, 600_000n, true),
    vote("wallet_2", defeated, 100_000n, true),
    vote("wallet_4", defeated, 900_000n, false),
    ...relayKinds.flatMap((id) => [vote("wallet_3", id, 800_000n, true), vote("wallet_4", id, 800_000n, true)]),
  ]);
  await devnet.mine({ burn: 144 }); // the voting period
  progress("seed-demo: concluding");
  await run([conclude(executed), conclude(defeated), ...relayKinds.map(conclude)]);
  await devnet.mine({ burn: 12 }); // the setting kind's timelock (the relay kinds' 6 have run too)
  await run([conclude(executed)]); // applies the passed setting
  progress("seed-demo: an active and a pending proposal");
  const proposeOne = async (spec: Spec): Promise<bigint> => idOf((await run([propose(spec)]))[0]!);
  const active = await proposeOne(chainSpecs.active);
  await devnet.mine({ burn: 6 });
  await run([vote("wallet_1", active, 300_000n, true)]);
  const pending = await proposeOne(chainSpecs.pending);

  const specs = [...first, chainSpecs.active, chainSpecs.pending];
  const ids = [executed, defeated, ...relayKinds, active, pending];
  const seeded: SeededProposal[] = [];
  for (const [index, id] of ids.entries()) {
    const status = await fetchCallReadOnlyFunction({
      contractAddress: deployer,
      contractName: "proposals",
      functionName: "get-proposal-status",
      functionArgs: [Cl.uint(id)],
      senderAddress: deployer,
      ...network,
    });
    const spec = specs[index]!;
    seeded.push({
      id,
      title: spec.title,
      kind: spec.action.kind,
      proposer: devnet.account(spec.wallet).address,
      status: cvToString(status).replace(/^\(ok "(.*)"\)$/, "$1"),
    });
  }
  for (const p of seeded) progress(`seed-demo: proposal ${p.id} ${p.kind.padEnd(13)} ${p.status.padEnd(9)} ${p.title}`);
  return seeded;
}

// Many fee-policy actions queued at once, as the chain queues them: one passed contract-proposal whose `execute`
// folds queue-action over the ids. The relay bench drains them for its throughput figure; the kill tests use them to
// have several actions in flight when the relay dies.
import { Cl } from "@stacks/transactions";
import { codeHash, encodeAction } from "../../actions/index.ts";
import type { Devnet } from "../../devnet/index.ts";
import { DEPLOYER, passAction, send } from "../../devnet/governance.ts";
import { deployDirect } from "../../web/test/chain.ts";

/** A fee-policy on every channel of the node, as the chain queues it. */
export function feePolicyPayload(feePpm: bigint): Uint8Array {
  return encodeAction({
    kind: "fee-policy",
    payload: {
      target: null,
      baseFeeMsat: 1_000n,
      feePpm,
      inboundBaseDiscountMsat: 0n,
      inboundPpmDiscount: 0n,
      cltvDelta: 80n,
    },
  });
}

/**
 * Queues `count` fee-policy actions with ids firstId.. through one passed contract-proposal. Resolves when the
 * transaction that queued them is mined, with the moment it was seen mined.
 */
export async function queueFeePolicies(
  devnet: Devnet,
  name: string,
  firstId: bigint,
  count: number,
): Promise<{ queuedAt: number }> {
  const ids = Array.from({ length: count }, (_, i) => `u${firstId + BigInt(i)}`).join(" ");
  const payload = Buffer.from(feePolicyPayload(200n)).toString("hex");
  const code = [
    `(impl-trait '${DEPLOYER}.proposal-trait.proposal-trait)`,
    `(define-private (queue-one (id uint) (so-far (response bool uint)))`,
    `  (match so-far ok-value`,
    `    (contract-call? '${DEPLOYER}.execution-queue queue-action id "fee-policy" 0x${payload} burn-block-height ` +
      "(+ burn-block-height u100000)",
    `      burn-block-height false)`,
    `    failed (err failed)))`,
    `(define-public (execute (sender principal))`,
    `  (fold queue-one (list ${ids}) (ok true)))`,
  ].join("\n");
  const contract = await deployDirect(devnet, "wallet_7", name, code);
  const [address, contractName] = contract.split(".") as [string, string];
  // the payload pins the code just deployed: what the chain's contract-hash? gives for it
  const proposal = encodeAction({
    kind: "contract-proposal",
    payload: { proposal: contract, codeHash: codeHash(code) },
  });
  const id = await passAction(
    devnet,
    "contract-proposal",
    proposal,
    `queue ${count} fee-policy actions for the relay bench`,
  );
  await devnet.mine({ burn: 12 });
  await send(devnet, "wallet_3", "proposals", "execute-proposal", [
    Cl.uint(id),
    Cl.contractPrincipal(address, contractName),
  ]);
  return { queuedAt: performance.now() };
}

// One simulated tapd: minting batches (a new group on first mint, reissuance into it later), the asset outputs it
// owns, addresses, sends anchored in real transactions on the shared chain (paid from its lnd's wallet), transfer
// records with labels, and the receive events an address owner sees.
import type { Block, SimChain } from "./bitcoin-chain.ts";
import { newPublicKey, sha256 } from "./keys.ts";
import type { SimLnd } from "./lnd-node.ts";
import { SimRpcError } from "./rpc-error.ts";
import { deriveAssetId, type AssetGenesis, type AssetType, type TapAddress, type Universe } from "./tapd-universe.ts";

export interface Seedling {
  name: string;
  amount: bigint;
  type: AssetType;
  metaData: Buffer;
  newGroupedAsset: boolean;
  groupKey: Buffer | null;
  decimalDisplay: number;
}

export interface MintBatch {
  batchKey: Buffer;
  txid: string;
  state: "BATCH_STATE_PENDING" | "BATCH_STATE_BROADCAST" | "BATCH_STATE_FINALIZED";
  seedlings: Seedling[];
  createdAt: number;
  heightHint: number;
}

export interface AssetOutput {
  genesis: AssetGenesis;
  amount: bigint;
  scriptKey: Buffer;
  anchorTxid: string;
  anchorOutpoint: string;
  internalKey: Buffer;
  spent: boolean;
}

export interface TransferOutput {
  anchorOutpoint: string;
  anchorValue: number;
  internalKey: Buffer;
  scriptKey: Buffer;
  local: boolean;
  amount: bigint;
  assetId: Buffer;
  tapAddr: string;
  split: boolean;
}

export interface Transfer {
  timestamp: number;
  anchorTxid: string;
  heightHint: number;
  chainFees: number;
  inputs: Array<{ anchorPoint: string; assetId: Buffer; scriptKey: Buffer; amount: bigint }>;
  outputs: TransferOutput[];
  label: string;
}

export interface ReceiveEvent {
  address: TapAddress;
  outpoint: string;
  createdAt: number;
  txid: string;
  utxoAmtSat: number;
}

/** tapd anchors each asset output in a 1,000-sat taproot output. */
export const ANCHOR_SAT = 1000;

export class SimTapd {
  readonly batches: MintBatch[] = [];
  readonly outputs: AssetOutput[] = [];
  readonly transfers: Transfer[] = [];
  readonly receives: ReceiveEvent[] = [];
  host = "";

  constructor(
    readonly name: string,
    readonly lnd: SimLnd,
    readonly chain: SimChain,
    readonly universe: Universe,
  ) {
    chain.onBlock((block) => this.onBlock(block));
  }

  get anchorWallet(): string {
    return `tapd:${this.name}`;
  }

  pendingBatch(): MintBatch | undefined {
    return this.batches.find((batch) => batch.state === "BATCH_STATE_PENDING");
  }

  /** mintrpc.MintAsset: adds a seedling to the pending batch, opening one if needed. */
  mint(seedling: Seedling, groupedAsset: boolean): MintBatch {
    if (!seedling.name) throw new SimRpcError("asset name cannot be empty");
    if (seedling.amount <= 0n) throw new SimRpcError("issuance must have a non-zero amount");
    if (seedling.type === "COLLECTIBLE" && seedling.amount !== 1n)
      throw new SimRpcError("amount must be 1 for asset of type COLLECTIBLE");
    if (seedling.newGroupedAsset && groupedAsset)
      throw new SimRpcError("cannot set both new grouped asset and grouped asset");
    if (groupedAsset) {
      const group = seedling.groupKey ? this.universe.groups.get(seedling.groupKey.toString("hex")) : undefined;
      if (!group)
        throw new SimRpcError(`unable to find asset group with key ${seedling.groupKey?.toString("hex") ?? "(none)"}`);
      if (group.owner !== this.name)
        throw new SimRpcError("group key is not controlled by this node: can't sign reissuance");
    }
    let batch = this.pendingBatch();
    if (batch?.seedlings.some((s) => s.name === seedling.name))
      throw new SimRpcError(`asset with name ${seedling.name} already in batch`);
    if (!batch) {
      batch = {
        batchKey: newPublicKey(),
        txid: "",
        state: "BATCH_STATE_PENDING",
        seedlings: [],
        createdAt: Math.floor(Date.now() / 1000),
        heightHint: this.chain.height,
      };
      this.batches.push(batch);
    }
    batch.seedlings.push({ ...seedling, groupKey: groupedAsset ? seedling.groupKey : null });
    return batch;
  }

  /** mintrpc.FinalizeBatch: the genesis transaction (paid by the lnd wallet) and the new asset outputs. */
  finalize(feeRateSatPerKw: number): MintBatch {
    const batch = this.pendingBatch();
    if (!batch) throw new SimRpcError("no pending batch");
    const anchor = this.chain.newWalletAddress(this.anchorWallet, "p2tr");
    const tx = this.chain.send(this.lnd.wallet, [{ address: anchor, value: ANCHOR_SAT }], {
      feeRate: satPerVbyte(feeRateSatPerKw),
      label: "tapd-asset-minting",
    });
    const genesisPoint = tx.inputs[0] ?? `${tx.txid}:0`;
    batch.txid = tx.txid;
    batch.state = "BATCH_STATE_BROADCAST";
    batch.heightHint = this.chain.height;
    const internalKey = newPublicKey();
    for (const seedling of batch.seedlings) {
      const group = seedling.newGroupedAsset ? this.universe.newGroup(this.name) : null;
      const metaHash = sha256(seedling.metaData);
      const genesis: AssetGenesis = {
        assetId: deriveAssetId(genesisPoint, seedling.name, metaHash, 0, seedling.type),
        name: seedling.name,
        metaHash,
        metaData: seedling.metaData,
        type: seedling.type,
        genesisPoint,
        outputIndex: 0,
        groupKey: group?.tweakedKey ?? seedling.groupKey,
        decimalDisplay: seedling.decimalDisplay,
      };
      this.universe.registerAsset(genesis);
      this.outputs.push({
        genesis,
        amount: seedling.amount,
        scriptKey: newPublicKey(),
        anchorTxid: tx.txid,
        anchorOutpoint: `${tx.txid}:0`,
        internalKey,
        spent: false,
      });
    }
    return batch;
  }

  isConfirmed(output: AssetOutput): boolean {
    return this.chain.confirmations(output.anchorTxid) > 0;
  }

  /** Unspent, confirmed outputs (tapd lists a received or change output once its anchor confirms). */
  spendable(): AssetOutput[] {
    return this.outputs.filter((output) => !output.spent && this.isConfirmed(output));
  }

  newAddress(request: {
    assetId: Buffer | null;
    groupKey: Buffer | null;
    amount: bigint;
    version: TapAddress["version"];
  }): TapAddress {
    const genesis = request.assetId ? this.universe.assets.get(request.assetId.toString("hex")) : undefined;
    if (request.assetId && !genesis)
      throw new SimRpcError(
        `unable to find asset or group: asset with ID ${request.assetId.toString("hex")} is unknown`,
      );
    if (request.groupKey && !this.universe.groups.has(request.groupKey.toString("hex"))) {
      throw new SimRpcError(
        `unable to find asset or group: asset group with key ${request.groupKey.toString("hex")} is unknown`,
      );
    }
    if (!request.assetId && !request.groupKey) throw new SimRpcError("asset ID must be 32 bytes");
    if (request.version !== "ADDR_VERSION_V2" && request.amount <= 0n)
      throw new SimRpcError("must specify an amount greater than 0");
    if (request.groupKey && request.version !== "ADDR_VERSION_V2")
      throw new SimRpcError("group key can only be used with V2 addresses");
    return this.universe.newAddress({
      version: request.version,
      assetId: request.assetId,
      // As tapd does: an address made by asset ID for a grouped asset also carries the group key.
      groupKey: request.groupKey ?? genesis?.groupKey ?? null,
      assetType: genesis?.type ?? "NORMAL",
      amount: request.amount,
      owner: this.name,
    });
  }

  /** taprpc.SendAsset: one anchor transaction carrying every recipient output plus change back to this tapd. */
  send(
    targets: Array<{ address: TapAddress; amount: bigint }>,
    feeRateSatPerKw: number,
    label: string,
    receivers: Map<string, SimTapd>,
  ): Transfer {
    if (targets.length === 0) throw new SimRpcError("no recipients specified");
    const spendable = this.spendable();
    const chosen: AssetOutput[] = [];
    const plans = targets.map(({ address, amount }) => {
      if (amount <= 0n) throw new SimRpcError("must specify an amount greater than 0 for V2 addresses");
      const matches = (o: AssetOutput) =>
        !chosen.includes(o) &&
        (address.assetId
          ? o.genesis.assetId.equals(address.assetId)
          : !!o.genesis.groupKey && !!address.groupKey && o.genesis.groupKey.equals(address.groupKey));
      const inputs: AssetOutput[] = [];
      let total = 0n;
      for (const output of spendable.filter(matches).sort((a, b) => (b.amount > a.amount ? 1 : -1))) {
        if (total >= amount) break;
        inputs.push(output);
        chosen.push(output);
        total += output.amount;
      }
      if (total < amount)
        throw new SimRpcError("unable to fund address send: failed to find coin(s) that satisfy given constraints");
      return { address, amount, inputs, change: total - amount };
    });
    const receiverAnchors = targets.map((target) =>
      this.chain.newWalletAddress(`tapd:${target.address.owner}`, "p2tr"),
    );
    const changeNeeded = plans.some((plan) => plan.change > 0n);
    const changeAnchor = changeNeeded ? this.chain.newWalletAddress(this.anchorWallet, "p2tr") : null;
    const anchors = [...receiverAnchors, ...(changeAnchor ? [changeAnchor] : [])].map((address) => ({
      address,
      value: ANCHOR_SAT,
    }));
    const tx = this.chain.send(this.lnd.wallet, anchors, {
      feeRate: satPerVbyte(feeRateSatPerKw),
      label: label || "tapd-asset-transfer",
    });
    const outputs: TransferOutput[] = [];
    const now = Math.floor(Date.now() / 1000);
    plans.forEach((plan, index) => {
      for (const input of plan.inputs) input.spent = true;
      const genesis = plan.inputs[0]?.genesis as AssetGenesis;
      const outpoint = `${tx.txid}:${index}`;
      const receiver = receivers.get(plan.address.owner);
      receiver?.outputs.push({
        genesis,
        amount: plan.amount,
        scriptKey: plan.address.scriptKey,
        anchorTxid: tx.txid,
        anchorOutpoint: outpoint,
        internalKey: plan.address.internalKey,
        spent: false,
      });
      receiver?.receives.push({
        address: plan.address,
        outpoint,
        createdAt: now,
        txid: tx.txid,
        utxoAmtSat: ANCHOR_SAT,
      });
      outputs.push({
        anchorOutpoint: outpoint,
        anchorValue: ANCHOR_SAT,
        internalKey: plan.address.internalKey,
        scriptKey: plan.address.scriptKey,
        local: receiver === this,
        amount: plan.amount,
        assetId: genesis.assetId,
        tapAddr: plan.address.encoded,
        split: false,
      });
      if (plan.change > 0n && changeAnchor) {
        const changeOutpoint = `${tx.txid}:${receiverAnchors.length}`;
        const scriptKey = newPublicKey();
        const internalKey = newPublicKey();
        this.outputs.push({
          genesis,
          amount: plan.change,
          scriptKey,
          anchorTxid: tx.txid,
          anchorOutpoint: changeOutpoint,
          internalKey,
          spent: false,
        });
        outputs.push({
          anchorOutpoint: changeOutpoint,
          anchorValue: ANCHOR_SAT,
          internalKey,
          scriptKey,
          local: true,
          amount: plan.change,
          assetId: genesis.assetId,
          tapAddr: "",
          split: true,
        });
      }
    });
    const transfer: Transfer = {
      timestamp: now,
      anchorTxid: tx.txid,
      heightHint: this.chain.height,
      chainFees: tx.fee,
      inputs: plans.flatMap((plan) =>
        plan.inputs.map((input) => ({
          anchorPoint: input.anchorOutpoint,
          assetId: input.genesis.assetId,
          scriptKey: input.scriptKey,
          amount: input.amount,
        })),
      ),
      outputs,
      label,
    };
    this.transfers.push(transfer);
    return transfer;
  }

  receiveStatus(event: ReceiveEvent): { status: string; confirmationHeight: number } {
    const confirmations = this.chain.confirmations(event.txid);
    if (confirmations === 0) return { status: "ADDR_EVENT_STATUS_TRANSACTION_DETECTED", confirmationHeight: 0 };
    // The proof arrives through the shared courier as soon as the anchor confirms.
    return { status: "ADDR_EVENT_STATUS_COMPLETED", confirmationHeight: this.chain.tx(event.txid)?.blockHeight ?? 0 };
  }

  private onBlock(block: Block): void {
    for (const batch of this.batches) {
      if (batch.state === "BATCH_STATE_BROADCAST" && block.txids.includes(batch.txid))
        batch.state = "BATCH_STATE_FINALIZED";
    }
  }
}

/** tapd fee rates are sat/kw; the chain works in sat/vB (1 vB = 4 weight units). 0 lets the wallet choose. */
function satPerVbyte(satPerKw: number): number | undefined {
  return satPerKw > 0 ? Math.max(1, Math.ceil(satPerKw / 250)) : undefined;
}

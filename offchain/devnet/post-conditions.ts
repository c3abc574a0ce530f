// Post-condition checking as a Stacks node does it, applied to the asset movements a transaction's execution
// produced (its transfer and burn events). Returns null when the transaction may stand, or a description of the
// first violation, which makes the node abort it with abort_by_post_condition.
import {
  FungibleConditionCode,
  NonFungibleConditionCode,
  PostConditionMode,
  PostConditionPrincipalId,
  PostConditionType,
  PoxConditionCode,
  addressToString,
  serializeCV,
  type PostConditionPrincipalWire,
  type PostConditionWire,
} from "@stacks/transactions";
import type { SimEvent } from "./events.ts";

const STX = "STX";

/** What each principal sent during the transaction: fungible totals (STX included) and non-fungible ids (hex). */
export interface AssetOutflows {
  fungible: Map<string, Map<string, bigint>>;
  nonFungible: Map<string, Map<string, Set<string>>>;
}

export function outflowsOf(events: SimEvent[]): AssetOutflows {
  const fungible = new Map<string, Map<string, bigint>>();
  const nonFungible = new Map<string, Map<string, Set<string>>>();
  const addFungible = (principal: string, asset: string, amount: string | number): void => {
    const byAsset = fungible.get(principal) ?? new Map<string, bigint>();
    byAsset.set(asset, (byAsset.get(asset) ?? 0n) + BigInt(amount));
    fungible.set(principal, byAsset);
  };
  const addNonFungible = (principal: string, asset: string, idHex: string): void => {
    const byAsset = nonFungible.get(principal) ?? new Map<string, Set<string>>();
    const ids = byAsset.get(asset) ?? new Set<string>();
    ids.add(idHex.toLowerCase().replace(/^0x/, ""));
    byAsset.set(asset, ids);
    nonFungible.set(principal, byAsset);
  };
  for (const { event, data } of events) {
    switch (event) {
      case "stx_transfer_event":
      case "stx_burn_event":
        addFungible(data.sender, STX, data.amount);
        break;
      case "ft_transfer_event":
      case "ft_burn_event":
        addFungible(data.sender, data.asset_identifier, data.amount);
        break;
      case "nft_transfer_event":
      case "nft_burn_event":
        addNonFungible(data.sender, data.asset_identifier, nftIdHex(data));
        break;
      default:
        break;
    }
  }
  return { fungible, nonFungible };
}

function nftIdHex(data: SimEvent["data"]): string {
  if (typeof data.raw_value === "string") return data.raw_value;
  if (data.value) return serializeCV(data.value);
  throw new Error("NFT event without a value");
}

export function checkPostConditions(
  origin: string,
  mode: PostConditionMode,
  conditions: PostConditionWire[],
  outflows: AssetOutflows,
): string | null {
  const coveredFungible = new Set<string>();
  const coveredNonFungible = new Set<string>();
  for (const [index, condition] of conditions.entries()) {
    const principal = principalOf(condition.principal, origin);
    switch (condition.conditionType) {
      case PostConditionType.STX:
      case PostConditionType.Fungible: {
        const asset = condition.conditionType === PostConditionType.STX ? STX : assetId(condition.asset);
        const sent = outflows.fungible.get(principal)?.get(asset) ?? 0n;
        if (!fungibleHolds(condition.conditionCode, sent, condition.amount)) {
          return (
            `post-condition ${index} failed: ${principal} sent ${sent} of ${asset}, ` +
            `condition ${FungibleConditionCode[condition.conditionCode]} ${condition.amount}`
          );
        }
        coveredFungible.add(`${principal}|${asset}`);
        break;
      }
      case PostConditionType.NonFungible: {
        const asset = assetId(condition.asset);
        const id = serializeCV(condition.assetName).toLowerCase().replace(/^0x/, "");
        const sent = outflows.nonFungible.get(principal)?.get(asset)?.has(id) ?? false;
        const holds =
          condition.conditionCode === NonFungibleConditionCode.Sends
            ? sent
            : condition.conditionCode === NonFungibleConditionCode.DoesNotSend
              ? !sent
              : true;
        if (!holds) {
          return `post-condition ${index} failed: ${principal} ${sent ? "sent" : "did not send"} ${asset} ${id}`;
        }
        coveredNonFungible.add(`${principal}|${asset}|${id}`);
        break;
      }
      case PostConditionType.Staking:
        // The devnet has no stacking: nothing is ever staked by a transaction.
        if (!fungibleHolds(condition.conditionCode, 0n, condition.amount)) {
          return `post-condition ${index} failed: ${principal} staked 0 uSTX`;
        }
        break;
      case PostConditionType.PoX:
        if (condition.conditionCode === PoxConditionCode.WillPerform) {
          return `post-condition ${index} failed: ${principal} performed no PoX operation`;
        }
        break;
    }
  }
  if (mode === PostConditionMode.Allow) return null;
  const mustCover = (principal: string): boolean => mode === PostConditionMode.Deny || principal === origin;
  for (const [principal, assets] of outflows.fungible) {
    if (!mustCover(principal)) continue;
    for (const [asset, amount] of assets) {
      if (amount > 0n && !coveredFungible.has(`${principal}|${asset}`)) {
        return (
          `${principal} sent ${amount} of ${asset}, ` +
          `which no post-condition covers (${PostConditionMode[mode]} mode)`
        );
      }
    }
  }
  for (const [principal, assets] of outflows.nonFungible) {
    if (!mustCover(principal)) continue;
    for (const [asset, ids] of assets) {
      for (const id of ids) {
        if (!coveredNonFungible.has(`${principal}|${asset}|${id}`)) {
          return `${principal} sent ${asset} ${id}, which no post-condition covers (${PostConditionMode[mode]} mode)`;
        }
      }
    }
  }
  return null;
}

function fungibleHolds(code: FungibleConditionCode, sent: bigint, amount: bigint): boolean {
  switch (code) {
    case FungibleConditionCode.Equal:
      return sent === amount;
    case FungibleConditionCode.Greater:
      return sent > amount;
    case FungibleConditionCode.GreaterEqual:
      return sent >= amount;
    case FungibleConditionCode.Less:
      return sent < amount;
    case FungibleConditionCode.LessEqual:
      return sent <= amount;
    default:
      return false;
  }
}

function principalOf(principal: PostConditionPrincipalWire, origin: string): string {
  switch (principal.prefix) {
    case PostConditionPrincipalId.Origin:
      return origin;
    case PostConditionPrincipalId.Standard:
      return addressToString(principal.address);
    case PostConditionPrincipalId.Contract:
      return `${addressToString(principal.address)}.${principal.contractName.content}`;
  }
}

function assetId(asset: {
  address: Parameters<typeof addressToString>[0];
  contractName: { content: string };
  assetName: { content: string };
}): string {
  return `${addressToString(asset.address)}.${asset.contractName.content}::${asset.assetName.content}`;
}

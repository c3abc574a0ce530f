// The contract-proposal side of `lvdao action`: a payload's code-hash read from the contract's deployed source
// when the JSON leaves it out, and, for decode, the voter's check of a payload against the deployed source (the
// verdict is offchain/actions' proposalCode; this file reads the source and writes the lines).
import {
  ActionError,
  actionFromJson,
  codeHash,
  describeProposalCode,
  proposalCode,
  validateAction,
  type ContractProposal,
  type ProposalCode,
} from "../../actions/index.ts";
import { deploymentApi } from "./verify/node-api.ts";

/** Where deployed sources are read: the node API's URL and its reader (undefined when nothing is deployed). */
export interface SourceReader {
  url: string;
  source(contractId: string): Promise<string | undefined>;
}

export function sourceReader(url: string): SourceReader {
  // contractSource makes no read-only call, so no sender address is needed
  const api = deploymentApi(url, "");
  return { url: api.url, source: async (contractId) => (await api.contractSource(contractId))?.source };
}

/**
 * A contract-proposal's JSON form with `code-hash` filled from the deployed source of `proposal` when it is left
 * out. Without a reader, or when nothing is deployed under that name, the error names the field.
 */
export async function withCodeHash(
  json: unknown,
  reader: SourceReader | null,
  note: (line: string) => void,
): Promise<unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json) || "code-hash" in json) return json;
  // everything but the hash first, so a bad proposal is named before any source is read
  const { proposal } = validateAction(actionFromJson("contract-proposal", { ...json, "code-hash": "00".repeat(32) }))
    .payload as ContractProposal;
  if (!reader) {
    throw new ActionError(
      "ERR_MALFORMED_PAYLOAD",
      "code-hash",
      "is missing; give it, or --api <url> (or --config <relay.toml>) to read it from the deployed contract",
    );
  }
  const source = await reader.source(proposal);
  if (source === undefined) {
    throw new ActionError(
      "ERR_CONTRACT_MISSING",
      "proposal",
      `${proposal} is not deployed at ${reader.url}, ` +
        "so its code-hash cannot be read; deploy it first or give code-hash",
    );
  }
  const hash = codeHash(source);
  note(`code-hash ${hash}: the SHA-512/256 of ${proposal}'s source at ${reader.url}`);
  return { ...json, "code-hash": hash };
}

/** The payload checked against the deployed source. */
export async function checkProposalCode(payload: ContractProposal, reader: SourceReader): Promise<ProposalCode> {
  return proposalCode(payload, await reader.source(payload.proposal));
}

const LABEL = 12;
const row = (label: string, text: string): string => `${label.padEnd(LABEL)}${text}`;

/** The check as lines for people: the hashes, the verdict and what the chain will do, and the calls. */
export function renderProposalCode(check: ProposalCode, url: string): string[] {
  const lines = [row("code-hash", `${check.payloadHash} (payload)`)];
  if (check.state === "missing") {
    lines.push(row("deployed", `${describeProposalCode(check)} (at ${url})`));
    return lines;
  }
  lines.push(row("deployed", `${check.deployedHash} (${check.contract} at ${url})`));
  lines.push(
    row(
      "",
      check.state === "matches"
        ? describeProposalCode(check)
        : "DIFFERS from the payload: the chain refuses this proposal (ERR_CODE_HASH)",
    ),
  );
  const { contracts, throughTraits } = check.calls;
  if (contracts.length === 0) lines.push(row("calls", "no contract by name"));
  contracts.forEach((called, i) => {
    lines.push(row(i === 0 ? "calls" : "", `${called.contract}: ${called.functions.join(", ")}`));
  });
  if (throughTraits.length > 0) {
    lines.push("through a trait, to a contract chosen at run time (check what each caller passes):");
    for (const call of throughTraits) {
      lines.push(
        row(
          "",
          `line ${call.line}: ${call.via} ${call.function}${call.trait ? ` (${call.trait})` : " (no declared trait)"}`,
        ),
      );
    }
  }
  return lines;
}

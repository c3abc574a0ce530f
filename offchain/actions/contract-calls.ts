// The contracts a Clarity contract calls, read from its source: what a voter checks before approving a
// contract-proposal. A literal target (`'SP….name`, or `.name`, which is the calling contract's own deployer) is
// fixed by the code the proposal's code-hash pins; a call through a trait reference goes wherever the caller's
// argument points at run time, so each one is listed with its line for the voter to follow by hand.

/** A contract called by name, with the functions called on it (first appearance first). */
export interface CalledContract {
  contract: string;
  functions: string[];
}

/** A `contract-call?` whose target is a trait-typed argument, chosen at run time. */
export interface TraitCall {
  line: number;
  /** The argument the call goes through. */
  via: string;
  function: string;
  /**
   * The trait that argument is declared with, resolved to `address.contract.trait` when the source says (several
   * joined by " or " when functions declare an argument of that name differently); null when undeclared.
   */
  trait: string | null;
}

export interface ContractCalls {
  contracts: CalledContract[];
  throughTraits: TraitCall[];
}

interface Token {
  text: string;
  line: number;
}

const DELIMITERS = new Set(["(", ")", "{", "}", ","]);

/** Parentheses, braces and atoms; comments and string literals (with their escapes) are dropped. */
function tokens(source: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === ";") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) {
        if (source[i] === "\\") i++;
        else if (source[i] === "\n") line++;
      }
      i++;
    } else if (DELIMITERS.has(c)) {
      out.push({ text: c, line });
      i++;
    } else {
      const start = i;
      while (
        i < source.length &&
        !/\s/.test(source[i]!) &&
        !DELIMITERS.has(source[i]!) &&
        source[i] !== '"' &&
        source[i] !== ";"
      )
        i++;
      // u"…" is a UTF-8 string literal: the u belongs to the string, not to an atom
      if (source[i] === '"' && i - start === 1 && source[start] === "u") continue;
      out.push({ text: source.slice(start, i), line });
    }
  }
  return out;
}

/** `'ADDR.name…` or `.name…` (resolved against the deployer) as `ADDR.name…`; null for anything else. */
function literalContract(text: string, deployer: string): string | null {
  if (text.startsWith("'") && text.includes(".")) return text.slice(1);
  if (text.startsWith(".") && text.length > 1) return `${deployer}${text}`;
  return null;
}

/**
 * Every `contract-call?` in `source`, the contract deployed as `contractId` (whose deployer `.name` targets
 * resolve to). Reading is lexical and never throws: a source that does not parse lists what could be read.
 */
export function contractCalls(source: string, contractId: string): ContractCalls {
  const deployer = contractId.split(".")[0]!;
  const list = tokens(source);
  const text = (i: number): string => list[i]?.text ?? "";

  const traitAliases = new Map<string, string>();
  const argumentTraits = new Map<string, Set<string>>();
  for (let i = 0; i < list.length; i++) {
    if (text(i) !== "(") continue;
    if (text(i + 1) === "use-trait") {
      traitAliases.set(text(i + 2), literalContract(text(i + 3), deployer) ?? text(i + 3));
    } else if (/^<.+>$/.test(text(i + 2)) && text(i + 3) === ")") {
      const traits = argumentTraits.get(text(i + 1)) ?? new Set<string>();
      argumentTraits.set(text(i + 1), traits.add(text(i + 2).slice(1, -1)));
    }
  }

  const byContract = new Map<string, CalledContract>();
  const throughTraits: TraitCall[] = [];
  for (let i = 0; i < list.length; i++) {
    if (text(i) !== "(" || text(i + 1) !== "contract-call?") continue;
    const target = text(i + 2);
    const fn = text(i + 3);
    const contract = literalContract(target, deployer);
    if (contract) {
      const called = byContract.get(contract) ?? { contract, functions: [] };
      if (!called.functions.includes(fn)) called.functions.push(fn);
      byContract.set(contract, called);
      continue;
    }
    const aliases = [...(argumentTraits.get(target) ?? [])].map((alias) => traitAliases.get(alias) ?? alias);
    const trait = aliases.length > 0 ? aliases.join(" or ") : null;
    throughTraits.push({
      line: list[i]!.line,
      via: target === "(" ? "(an expression)" : target,
      function: target === "(" ? "" : fn,
      trait,
    });
  }
  return { contracts: [...byContract.values()], throughTraits };
}

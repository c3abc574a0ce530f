// Fixed test keys: six regtest accounts at m/48'/1'/0'/2' of seeds 0x01..01 to 0x06..06 (32 bytes each).
import * as ecc from "@bitcoinerlab/secp256k1";
import type { Psbt } from "bitcoinjs-lib";
import type { VaultKeys } from "../keys.ts";

export const XPRV = {
  relay:
    "tprv8hFctGb1osu2xgPgzZjcWA7mP1YGWJNCqrjPSLttbyUFVhjjP4Q84LDPUHb6iQQHE1tnCKT1bDhnni2m77be58zhqTdcXjj5w3QXMHC1ffo",
  cosigner:
    "tprv8hqggcQFZL9VTHsAmqb6KdY2n1w66nmRRi7si2div2NGBZpn7zAFdXhHHhkpDJf7h9jHng3dSUAgmdKfSE4JZW5sP9APcdiTWfyWSpnkAK6",
  guardian0:
    "tprv8hz1cRonbRPyyDiWhcAptWYi9n5Bn5vP8kTWqT6pgzCujBMDYyPWw2hboGXVM4nTZXtdyFpoV3tvv7d3E3hExXBbzmGsEgz4FUdHPxJc2bR",
  guardian1:
    "tprv8hxB1qbZSfedLHRdg3A996XZuBr945H5WC6DZkTjAtP7vZN8QhFo4Lqh8YwmF9LcBY71of8vPeinCHq9z4VBamPNWSBWuBNiVBYyQKLTJw1",
  guardian2:
    "tprv8hNAQTUeqPraWdtXgMub94ZfZBu2CsATcEpk5aJfB7v7Bwee3A497HvUUJGZS4tLCW8VBZ1LM3A3LjsAPFR3tnoV9zfpLgdoy7ymLMkAPST",
  lastResort:
    "tprv8hiaUCUwfaj6AfKfoYzGyNSFsMwXDtXgyzuCGTDDkfQmrzrNf2gE1K1Z8ieoHu1tPZyvFqcXTFbiXR33nPXyxzjzMQT2vFShdcx2KertzNW",
};

export const XPUB = {
  relay:
    "tpubDDwf2gdFxFahr9RUtDQCuZmsx34CfdZ7RALAirwC2FGeLBzW1TDiEpqFeRdxLdZD7rfsbZHYwSaT6CLM3TAcYRw6xfRv4U6KCQt4Zuhvjkz",
  cosigner:
    "tpubDEXiq2SVhhqALktxfVFgj3C9M3T2G7xL11iezYg2LJAf245YkNyqp2K9TrvHABDCp2232k34UegU4aKEtUZNigit8EEqoLNe2JKMzMiLwYq",
  guardian0:
    "tpubDEg3kqr2jo5ergkJbFqRHvCpiob7wR7Hi44J7y987G1JZfbzBND77XKTyPZzGvh3uyDf8kexMJnFD9W8FuraJ4wLMsx6YuZVXRSRRcx6QdD",
  guardian1:
    "tpubDEeDAFdob3LJDkTRZgpjYWBgUDN5DQTz5VgzrGW2bABWm3cu365PEqTZJfaeTJKvnnWfVqb1j7qcjzXgQ5y54BBcyyZfkTuPNREB3r4UeoD",
  guardian2:
    "tpubDE4CYsWtymYFQ6vKa1aBYUDn8DQxNCMNBYRXN6LxbPiW2RuQfYsjHnYLeTBsYSsK7Z1LvpjGWPz3YmUL8nEcGpCf9NJcyUoDn7TFSvdUaZJ",
  lastResort:
    "tpubDEQcccXBoxQm48MThCesNn6NSPTTPDibZJVyYyFXAwDAhV79HRVpBodRJpfpAZ3Lwp2DQNHeuPycqVbdgwTiCTykaZLiX2LYTRgTn6s65At",
};

export const KEYS: VaultKeys = {
  relay: XPUB.relay,
  cosigner: XPUB.cosigner,
  guardians: [XPUB.guardian0, XPUB.guardian1, XPUB.guardian2],
  guardianThreshold: 2,
  recoveryOlder: 144,
  lastResort: XPUB.lastResort,
  lastResortOlder: 4320,
};

/** A P2WSH script standing in for lnd's channel funding output. */
export const FUNDING_SCRIPT = Uint8Array.from(Buffer.from(`0020${"ab".repeat(32)}`, "hex"));

export function txid(n: number): string {
  return n.toString(16).padStart(2, "0").repeat(32);
}

/** Every Schnorr signature in the PSBT verifies against its sighash. */
export function signaturesValid(psbt: Psbt): boolean {
  return psbt.validateSignaturesOfAllInputs((pubkey, msghash, signature) =>
    ecc.verifySchnorr(msghash, pubkey, signature),
  );
}

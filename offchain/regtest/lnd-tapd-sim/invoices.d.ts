// Types for the `invoices` package (BOLT 11 encoding, a dependency of `lightning`), which ships none. Only the
// calls the simulators use are declared.
declare module "invoices" {
  export function createUnsignedRequest(args: {
    cltv_delta?: number;
    created_at?: string;
    description?: string;
    destination: string;
    expires_at?: string;
    features: Array<{ bit: number }>;
    id: string;
    mtokens?: string;
    network: string;
    payment?: string;
  }): { hash: string; hrp: string; preimage: string; tags: number[] };
  export function createSignedRequest(args: { destination: string; hrp: string; signature: string; tags: number[] }): {
    request: string;
  };
  export function parsePaymentRequest(args: { request: string }): {
    chain_address?: string;
    cltv_delta?: number;
    created_at: string;
    description?: string;
    description_hash?: string;
    destination: string;
    expires_at: string;
    features: Array<{ bit: number; is_required: boolean; type: string }>;
    id: string;
    is_expired: boolean;
    mtokens?: string;
    network: string;
    payment?: string;
    tokens?: number;
  };
}

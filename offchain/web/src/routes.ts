// Hash routes, so the app works from any static server and any path: #/proposals, #/proposals/<id>,
// #/propose[?kind=<kind>], #/liquidity, #/history, #/delegation, #/settings.
import { useEffect, useState } from "react";

export type Route =
  | { page: "proposals"; offset: number }
  | { page: "proposal"; id: bigint }
  | { page: "propose"; kind: string | null }
  | { page: "liquidity" }
  | { page: "history" }
  | { page: "delegation" }
  | { page: "settings" }
  | { page: "not-found"; hash: string };

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts[0] === "proposals" && parts.length === 1)) {
    const offset = Number(params.get("offset") ?? "0");
    return { page: "proposals", offset: Number.isSafeInteger(offset) && offset >= 0 ? offset : 0 };
  }
  if (parts[0] === "proposals" && parts.length === 2 && /^[1-9]\d{0,30}$/.test(parts[1]!))
    return { page: "proposal", id: BigInt(parts[1]!) };
  if (parts[0] === "propose" && parts.length === 1) return { page: "propose", kind: params.get("kind") };
  if (parts[0] === "liquidity" && parts.length === 1) return { page: "liquidity" };
  if (parts[0] === "settings" && parts.length === 1) return { page: "settings" };
  if (parts[0] === "history" && parts.length === 1) return { page: "history" };
  if (parts[0] === "delegation" && parts.length === 1) return { page: "delegation" };
  return { page: "not-found", hash };
}

export const href = {
  proposals: (offset = 0): string => (offset ? `#/proposals?offset=${offset}` : "#/proposals"),
  proposal: (id: bigint): string => `#/proposals/${id}`,
  propose: (kind?: string): string => (kind ? `#/propose?kind=${encodeURIComponent(kind)}` : "#/propose"),
  liquidity: (): string => "#/liquidity",
  history: (): string => "#/history",
  delegation: (): string => "#/delegation",
  settings: (): string => "#/settings",
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

// The web step's one validated configuration (`npm start`): where the built app is served. Nothing else in
// offchain/web reads process.env.

export interface WebOptions {
  host: string;
  port: number;
  /** True when LVDAO_WEB_PORT was given: a busy port is then an error instead of a reason to pick a free one. */
  portGiven: boolean;
}

export class WebOptionsError extends Error {
  override name = "WebOptionsError";
}

export const DEFAULT_WEB_PORT = 4173;

export function readWebOptions(env: Record<string, string | undefined>): WebOptions {
  const host = env.LVDAO_WEB_HOST?.trim() || "127.0.0.1";
  const portText = env.LVDAO_WEB_PORT?.trim();
  if (portText === undefined || portText === "") return { host, port: DEFAULT_WEB_PORT, portGiven: false };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new WebOptionsError(`LVDAO_WEB_PORT must be an integer from 0 to 65535, got "${portText}"`);
  return { host, port, portGiven: true };
}

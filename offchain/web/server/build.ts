// Builds the web app with Vite (offchain/web/vite.config.ts) into a folder: offchain/web/dist by default.
import { fileURLToPath } from "node:url";

export const DEFAULT_OUT_DIR = fileURLToPath(new URL("../dist", import.meta.url));
const CONFIG_FILE = fileURLToPath(new URL("../vite.config.ts", import.meta.url));

export class WebBuildError extends Error {
  override name = "WebBuildError";
}

/** Runs `vite build`; resolves with the output folder and how long it took. */
export async function buildWebApp(outDir: string = DEFAULT_OUT_DIR): Promise<{ outDir: string; ms: number }> {
  const started = performance.now();
  const { build } = await import("vite");
  try {
    // Always the production build members get. Vite and its React plugin follow NODE_ENV over `mode`, and a caller
    // may have set it (vitest sets "test"), which would bundle React's development build, a different program
    // (StrictMode mounts every effect twice). So NODE_ENV is "production" for the build and restored after it.
    const callerNodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await build({
        configFile: CONFIG_FILE,
        mode: "production",
        logLevel: "warn",
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = callerNodeEnv;
    }
  } catch (cause) {
    throw new WebBuildError(`vite build of the web app failed: ${(cause as Error).message}`);
  }
  return { outDir, ms: Math.round(performance.now() - started) };
}

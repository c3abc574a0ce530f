// Vite build of the members' web app. The root is this folder; the output goes to dist/ (git-ignored), with
// relative asset paths so the build can be served from any path.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  plugins: [react()],
  resolve: {
    alias: {
      // @stacks/connect loads WalletConnect (Reown AppKit, ~80 MB of modules) only when a WalletConnect project id
      // is configured. lvdao's app never configures one, so the import resolves to a module that says so.
      "@reown/appkit-universal-connector": here("src/wallet/no-walletconnect.ts"),
    },
  },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});

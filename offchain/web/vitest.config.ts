// The web app's tests. "web" holds the fast unit tests (plain Node; they also belong in the root suite), and
// "web-browser" the end-to-end tests in a real chromium against a real node emulation (`npm run test:web`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "web",
          root: import.meta.dirname,
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          environment: "node",
        },
      },
      {
        test: {
          name: "web-browser",
          root: import.meta.dirname,
          include: ["*.browser.test.ts"],
          environment: "node",
          // each file brings up its own node emulation and chromium; one at a time keeps the shared cores usable
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

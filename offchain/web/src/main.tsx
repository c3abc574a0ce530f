// Entry point: reads the configuration, then renders the app (or says what is wrong with the configuration).
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { loadConfig } from "./config.ts";
import { SessionProvider } from "./session.tsx";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <SessionProvider config={config}>
          <App />
        </SessionProvider>
      </StrictMode>,
    ),
  (error: Error) =>
    root.render(
      <main>
        <p className="error" role="alert">
          The app's configuration is invalid: {error.message}. Fix config.json or the page URL, or{" "}
          <button
            type="button"
            onClick={() => {
              localStorage.removeItem("lvdao.config");
              location.reload();
            }}
          >
            forget saved settings
          </button>
          .
        </p>
      </main>,
    ),
);

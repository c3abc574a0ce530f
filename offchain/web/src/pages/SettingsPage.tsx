// Which node and deployment the app talks to. Saved overrides live in this browser's localStorage and win over
// the served config.json; the page URL's ?node=&deployer=&network=&relay= wins over both.
import { useState } from "react";
import { ConfigError, NETWORKS, resolveConfig, saveOverrides, type ConfigLayer } from "../config.ts";
import { ErrorNote } from "../components/common.tsx";
import { useSession } from "../session.tsx";

export function SettingsPage() {
  const { config, tip, tipError } = useSession();
  const [form, setForm] = useState({
    nodeUrl: config.nodeUrl,
    deployer: config.deployer,
    network: config.network as string,
    pollMs: String(config.pollMs),
    relayUrl: config.relayUrl ?? "",
  });
  const [error, setError] = useState<string | null>(null);

  const save = (): void => {
    const layer: ConfigLayer = { ...form };
    try {
      resolveConfig([layer]);
    } catch (cause) {
      if (cause instanceof ConfigError) {
        setError(cause.message);
        return;
      }
      throw cause;
    }
    saveOverrides(layer);
    location.reload();
  };
  const reset = (): void => {
    saveOverrides(null);
    location.reload();
  };

  return (
    <section className="settings">
      <h1>Settings</h1>
      <p className="hint">
        Connected to {config.nodeUrl} ({config.network}), lvdao deployed by <code>{config.deployer}</code>.{" "}
        {tip
          ? `Tip: Stacks ${tip.stacksHeight}, burn ${tip.burnHeight}, network id 0x${tip.networkId.toString(16)}.`
          : null}
      </p>
      {tipError ? <ErrorNote>{tipError}</ErrorNote> : null}
      <div className="field">
        <label htmlFor="node-url">Stacks node URL (RPC and API)</label>
        <input id="node-url" value={form.nodeUrl} onChange={(e) => setForm({ ...form, nodeUrl: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="deployer">Contract deployer</label>
        <input
          id="deployer"
          value={form.deployer}
          onChange={(e) => setForm({ ...form, deployer: e.target.value })}
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor="network">Wallet network</label>
        <select id="network" value={form.network} onChange={(e) => setForm({ ...form, network: e.target.value })}>
          {NETWORKS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="poll">Poll interval (ms)</label>
        <input
          id="poll"
          inputMode="numeric"
          value={form.pollMs}
          onChange={(e) => setForm({ ...form, pollMs: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="relay-url">
          Relay status URL <small>(its GET /channels lists the node's channels; empty: the served one, if any)</small>
        </label>
        <input
          id="relay-url"
          value={form.relayUrl}
          onChange={(e) => setForm({ ...form, relayUrl: e.target.value })}
          spellCheck={false}
        />
      </div>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <div className="buttons">
        <button type="button" className="primary" onClick={save}>
          Save and reload
        </button>
        <button type="button" onClick={reset}>
          Forget saved settings
        </button>
      </div>
    </section>
  );
}

// The app's configuration layers: defaults, /config.json, saved overrides, the URL query; a bad value is a
// ConfigError naming its field, never a silently wrong node.
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, jsonLayer, queryLayer, resolveConfig } from "../src/config.ts";

const TESTNET_DEPLOYER = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
const MAINNET_DEPLOYER = "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7";

describe("resolveConfig", () => {
  it("is the local devnet with no layers", () => {
    expect(resolveConfig([])).toEqual(DEFAULT_CONFIG);
  });

  it("lets later layers win and skips empty values", () => {
    const config = resolveConfig([
      { nodeUrl: "http://10.0.0.5:3999/", pollMs: 500 },
      { nodeUrl: "", deployer: TESTNET_DEPLOYER, network: "testnet" },
      queryLayer("?node=https://node.example.org&poll=1000"),
    ]);
    expect(config).toEqual({
      nodeUrl: "https://node.example.org",
      deployer: TESTNET_DEPLOYER,
      network: "testnet",
      pollMs: 1000,
      relayUrl: null,
      devnetAccounts: [],
    });
  });

  it("takes the relay's status URL from config.json or ?relay=, trailing slash dropped", () => {
    expect(resolveConfig([jsonLayer('{"relayUrl":"http://127.0.0.1:8732/"}')]).relayUrl).toBe("http://127.0.0.1:8732");
    expect(resolveConfig([{ relayUrl: "http://a:1" }, queryLayer("?relay=https://relay.example")]).relayUrl).toBe(
      "https://relay.example",
    );
  });

  it("accepts a mainnet deployer only on mainnet", () => {
    expect(resolveConfig([{ network: "mainnet", deployer: MAINNET_DEPLOYER }]).deployer).toBe(MAINNET_DEPLOYER);
    expect(() => resolveConfig([{ network: "mainnet" }])).toThrow(/is not a mainnet address/);
  });

  it.each([
    [{ nodeUrl: "ftp://x" }, "nodeUrl"],
    [{ nodeUrl: "not a url" }, "nodeUrl"],
    [{ network: "regtest" }, "network"],
    [{ deployer: "ST-nope" }, "deployer"],
    [{ pollMs: 50 }, "pollMs"],
    [{ pollMs: "1.5" }, "pollMs"],
    [{ relayUrl: "file:///etc" }, "relayUrl"],
  ])("%j is a ConfigError on %s", (layer, field) => {
    let error: unknown;
    try {
      resolveConfig([layer]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
  });
});

describe("layers", () => {
  it("jsonLayer keeps the known keys of a JSON object and ignores anything else", () => {
    expect(jsonLayer('{"nodeUrl":"http://a:1","extra":1}')).toEqual({
      nodeUrl: "http://a:1",
      deployer: undefined,
      network: undefined,
      pollMs: undefined,
    });
    expect(jsonLayer("[1]")).toEqual({});
    expect(jsonLayer("{oops")).toEqual({});
    expect(jsonLayer(null)).toEqual({});
  });

  it("queryLayer reads node, deployer, network and poll", () => {
    expect(queryLayer(`?node=http://h:1&deployer=${TESTNET_DEPLOYER}&network=testnet&poll=300`)).toEqual({
      nodeUrl: "http://h:1",
      deployer: TESTNET_DEPLOYER,
      network: "testnet",
      pollMs: "300",
    });
  });
});

describe("devnet test accounts", () => {
  const WALLET_1 = {
    name: "wallet_1",
    address: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5",
    privateKey: `${"7".repeat(64)}01`,
  };
  const served = (layer: Record<string, unknown>) =>
    jsonLayer(JSON.stringify({ devnetAccounts: [WALLET_1], ...layer }));

  it("are offered on a devnet reached on this machine", () => {
    expect(resolveConfig([served({})]).devnetAccounts).toEqual([WALLET_1]);
    expect(resolveConfig([served({ nodeUrl: "http://localhost:3999" })]).devnetAccounts).toEqual([WALLET_1]);
  });

  it.each([
    ["testnet", { network: "testnet", deployer: TESTNET_DEPLOYER, nodeUrl: "https://api.testnet.example" }],
    ["mainnet", { network: "mainnet", deployer: MAINNET_DEPLOYER, nodeUrl: "https://api.mainnet.example" }],
    ["a devnet on another machine", { nodeUrl: "http://10.0.0.5:3999" }],
  ])("are never offered on %s, whatever config.json lists", (_name, layer) => {
    expect(resolveConfig([served(layer)]).devnetAccounts).toEqual([]);
  });

  it("are never offered when the URL switches a devnet page to testnet", () => {
    const config = resolveConfig([served({}), queryLayer(`?network=testnet&deployer=${TESTNET_DEPLOYER}`)]);
    expect(config.devnetAccounts).toEqual([]);
  });

  it.each([
    [[{ ...WALLET_1, privateKey: "xyz" }], "devnetAccounts wallet_1 has no 32-byte hex private key"],
    [[{ ...WALLET_1, address: MAINNET_DEPLOYER }], "devnetAccounts wallet_1 has no devnet address"],
    [[{ address: WALLET_1.address }], "devnetAccounts entry 0 has no name"],
    ["wallet_1", "devnetAccounts must be a list of accounts"],
  ])("refuses %j with a ConfigError", (accounts, message) => {
    expect(() => resolveConfig([jsonLayer(JSON.stringify({ devnetAccounts: accounts }))])).toThrow(
      new ConfigError("devnetAccounts", message.replace(/^devnetAccounts /, "")),
    );
  });
});

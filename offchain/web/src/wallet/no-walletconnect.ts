// Stands in for @reown/appkit-universal-connector, which @stacks/connect imports only when a WalletConnect project
// id is configured. lvdao's app connects to browser wallets (Leather, Xverse) and never configures WalletConnect.
export class WalletConnectNotConfigured extends Error {
  override name = "WalletConnectNotConfigured";
  constructor() {
    super("WalletConnect is not part of lvdao's web app; connect a browser wallet (Leather, Xverse) instead");
  }
}

export const UniversalConnector = {
  init(): never {
    throw new WalletConnectNotConfigured();
  },
};

// The simulators' self-signed certificate is one a TLS client can pin as its only root for 127.0.0.1.
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { derInteger } from "../../market/tls-cert.ts";
import { createSelfSignedCert } from "./tls.ts";

describe("createSelfSignedCert", () => {
  const { certPem, keyPem } = createSelfSignedCert("lvdao simulator (test)");
  const cert = new X509Certificate(certPem);

  it("is a CA certificate signed by its own key", () => {
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subject).toContain("O=lvdao simulator (test)");
  });

  it("names localhost, 127.0.0.1 and ::1", () => {
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.subjectAltName).toContain("IP Address:0:0:0:0:0:0:0:1");
  });

  it("is valid now and for about fourteen months", () => {
    const now = Date.now();
    expect(Date.parse(cert.validFrom)).toBeLessThan(now);
    expect(Date.parse(cert.validTo) - now).toBeGreaterThan(400 * 86_400_000);
    expect(keyPem).toContain("BEGIN PRIVATE KEY");
  });

  it("makes a new key every time", () => {
    expect(createSelfSignedCert("x").certPem).not.toBe(createSelfSignedCert("x").certPem);
  });
});

describe("derInteger", () => {
  it.each([
    ["00 12", "02 01 12"],
    ["00 00 7f", "02 01 7f"],
    ["00 80", "02 02 00 80"],
    ["80", "02 02 00 80"],
    ["00", "02 01 00"],
    ["12 34", "02 02 12 34"],
  ])("encodes %s minimally as %s", (input, der) => {
    const hex = (spaced: string) => Buffer.from(spaced.replaceAll(" ", ""), "hex");
    expect(derInteger(hex(input)).toString("hex")).toBe(hex(der).toString("hex"));
  });
});

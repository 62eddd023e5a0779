import { describe, expect, it } from "vitest";
import { fileServerUrl } from "../src/app.ts";
import { ConfigError, loadConfig } from "../src/config.ts";

const DATABASE_URL = "postgresql://beacon@localhost/beacon";

describe("where USP agents fetch firmware from", () => {
  it("is the ingress's public URL when BEACON_CWMP_PUBLIC_URL is set, for every agent", () => {
    const { usp } = loadConfig({ DATABASE_URL, BEACON_CWMP_PUBLIC_URL: "https://acs.example.net/" });
    expect(fileServerUrl(usp, "10.0.0.1:7550")).toBe("https://acs.example.net");
    expect(fileServerUrl(usp, undefined)).toBe("https://acs.example.net");
  });

  it("is otherwise the host a WebSocket agent reached Beacon at, on the CWMP port, over TLS when the ingress has it", () => {
    const plain = loadConfig({ DATABASE_URL, CWMP_PORT: "7610" }).usp;
    expect(fileServerUrl(plain, "acs.example.net:7550")).toBe("http://acs.example.net:7610");
    expect(fileServerUrl(plain, "[2001:db8::1]:7550")).toBe("http://[2001:db8::1]:7610");
    const tls = loadConfig({ DATABASE_URL, BEACON_CWMP_TLS_CERT: "/etc/beacon/cwmp.pem" }).usp;
    expect(fileServerUrl(tls, "acs.example.net")).toBe("https://acs.example.net:7547");
  });

  it("is unknown for an agent without a Host (MQTT) and no public URL, or with an unreadable Host", () => {
    const { usp } = loadConfig({ DATABASE_URL });
    expect(fileServerUrl(usp, undefined)).toBeNull();
    expect(fileServerUrl(usp, "bad host/")).toBeNull();
  });

  it("refuses a public URL that is not http(s), naming the variable", () => {
    expect(() => loadConfig({ DATABASE_URL, BEACON_CWMP_PUBLIC_URL: "ftp://acs.example.net" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL, BEACON_CWMP_PUBLIC_URL: "ftp://acs.example.net" })).toThrow(
      /BEACON_CWMP_PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/,
    );
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { createSimulatedDevice, type SimulatedDevice } from "../src/index.ts";
import { parseChallenges } from "../src/transport/http-auth.ts";
import { parseAuthParams } from "./support/digest.ts";
import { startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

const open: { acs?: TinyAcs; device?: SimulatedDevice }[] = [];

afterEach(async () => {
  for (const { acs, device } of open.splice(0)) {
    await device?.close();
    await acs?.close();
  }
});

async function setup(auth: Parameters<typeof startTinyAcs>[0], username: string, password: string) {
  const acs = await startTinyAcs(auth);
  const device = createSimulatedDevice({
    model: "beacon-router-tr181",
    serialNumber: "AUTH0001",
    acsUrl: acs.url,
    username,
    password,
  });
  open.push({ acs, device });
  return { acs, device };
}

describe("authentication to the ACS", () => {
  it.each(["MD5", "SHA-256"] as const)(
    "answers a Digest %s challenge and reuses the nonce with nc counting up",
    async (algorithm) => {
      const { acs, device } = await setup(
        { auth: { scheme: "digest", algorithm, users: { cpe: "s3cret" } } },
        "cpe",
        "s3cret",
      );
      acs.queue("AUTH0001", { type: "GetRPCMethods" });
      const t = await device.inform();
      expect(t.outcome).toBe("completed");
      expect(t.httpStatuses).toEqual([401, 200, 200, 204]);
      const [session] = acs.sessions;
      const params = session?.authorizations.map(parseAuthParams) ?? [];
      expect(params.map((p) => p.nc)).toEqual(["00000001", "00000002", "00000003"]);
      expect(new Set(params.map((p) => p.nonce)).size).toBe(1);
      expect(params[0]).toMatchObject({ algorithm, qop: "auth", username: "cpe", uri: "/cwmp" });
      expect(acs.connections).toBe(1);
    },
  );

  it("answers Basic when that is all the ACS offers", async () => {
    const { acs, device } = await setup({ auth: { scheme: "basic", users: { cpe: "pw" } } }, "cpe", "pw");
    const t = await device.inform();
    expect(t.outcome).toBe("completed");
    expect(t.httpStatuses).toEqual([401, 200, 204]);
    expect(acs.sessions[0]?.authorizations.every((a) => a.startsWith("Basic "))).toBe(true);
  });

  it("takes a fresh nonce when the ACS calls the old one stale", async () => {
    const { acs, device } = await setup(
      { auth: { scheme: "digest", users: { cpe: "pw" }, nonceUses: 1 } },
      "cpe",
      "pw",
    );
    const t = await device.inform();
    expect(t.outcome).toBe("completed");
    expect(t.httpStatuses).toEqual([401, 200, 401, 204]);
    const nonces = acs.sessions[0]?.authorizations.map((a) => parseAuthParams(a).nonce);
    expect(new Set(nonces).size).toBe(2);
  });

  it("fails the session when the ACS refuses its credentials", async () => {
    const { device } = await setup({ auth: { scheme: "digest", users: { cpe: "right" } } }, "cpe", "wrong");
    const t = await device.inform();
    expect(t.outcome).toBe("failed");
    expect(t.httpStatuses).toEqual([401, 401]);
    expect(t.error).toContain("401");
  });

  it("uses credentials the ACS rotated through SetParameterValues from the next session on", async () => {
    const { acs, device } = await setup(
      { auth: { scheme: "digest", algorithm: "SHA-256", users: { cpe: "old" } } },
      "cpe",
      "old",
    );
    acs.queue("AUTH0001", {
      type: "SetParameterValues",
      parameterKey: "rotate-1",
      parameterList: [
        { name: "Device.ManagementServer.Username", value: "cpe-2", type: "xsd:string" },
        { name: "Device.ManagementServer.Password", value: "new", type: "xsd:string" },
      ],
    });
    const rotated = await device.inform();
    expect(rotated.outcome).toBe("completed");
    expect(device.get("Device.ManagementServer.Password")).toBe("new");

    acs.setUsers({ "cpe-2": "new" });
    const next = await device.inform();
    expect(next.outcome).toBe("completed");
    expect(parseAuthParams(acs.sessions[1]?.authorizations[0] ?? "").username).toBe("cpe-2");
  });
});

describe("parseChallenges", () => {
  it("reads several challenges from one header value, quoted commas included", () => {
    expect(
      parseChallenges([
        'Digest realm="a, b", qop="auth,auth-int", nonce="n1", algorithm=SHA-256, Digest realm="a", nonce="n2", Basic realm="x"',
      ]),
    ).toEqual([
      { scheme: "digest", params: { realm: "a, b", qop: "auth,auth-int", nonce: "n1", algorithm: "SHA-256" } },
      { scheme: "digest", params: { realm: "a", nonce: "n2" } },
      { scheme: "basic", params: { realm: "x" } },
    ]);
  });
});

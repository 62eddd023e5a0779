import type { SetParameterValues } from "@beacon/cwmp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { rawRequest, TestCpe } from "./helpers/test-cpe.ts";

describe("CPE authentication", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let withSha256: RunningIngress;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap" });
    withSha256 = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap", digestSha256: true });
  });
  afterAll(() => fixture.close());

  it("challenges an Inform without credentials with one Digest challenge, MD5 (TR-069 3.2.1), and no Basic over plain HTTP", async () => {
    const cpe = new TestCpe(ingress.url);
    const result = await cpe.inform();
    expect(result.status).toBe(401);
    const challenges = result.challenges;
    expect(challenges).toHaveLength(1);
    expect(challenges[0]).toMatch(/^Digest realm="Beacon CWMP", qop="auth", algorithm=MD5, nonce="[0-9a-f]{58}"/);
    cpe.close();
  });

  it("offers SHA-256 after MD5 when BEACON_CWMP_DIGEST_SHA256 is set", async () => {
    const cpe = new TestCpe(withSha256.url);
    const { challenges } = await cpe.inform();
    expect(challenges).toHaveLength(2);
    expect(challenges[0]).toMatch(/algorithm=MD5/);
    expect(challenges[1]).toMatch(/algorithm=SHA-256/);
    cpe.close();
  });

  it("admits a new CPE with the bootstrap credential, gives it its own credentials, then refuses the bootstrap one", async () => {
    const cpe = new TestCpe(ingress.url, { username: "boot", password: "strap" });
    expect((await cpe.inform(["0 BOOTSTRAP", "1 BOOT"])).status).toBe(200);
    const spv = await cpe.send({ type: "Empty" });
    expect(spv.message?.type).toBe("SetParameterValues");
    const values = new Map((spv.message as SetParameterValues).parameterList.map((p) => [p.name, p.value]));
    const username = values.get("InternetGatewayDevice.ManagementServer.Username")!;
    const password = values.get("InternetGatewayDevice.ManagementServer.Password")!;
    expect(username).toContain(cpe.serialNumber);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(values.get("InternetGatewayDevice.ManagementServer.ConnectionRequestUsername")).toBeTruthy();
    const end = await cpe.answer(spv, { type: "SetParameterValuesResponse", status: 0 });
    expect(end.status).toBe(204);

    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    expect(device.cwmpUsername).toBe(username);
    expect(device.cwmpHa1Md5).toMatch(/^[0-9a-f]{32}$/);
    expect(device.cwmpHa1Sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(device.connReqPassword).toBe(values.get("InternetGatewayDevice.ManagementServer.ConnectionRequestPassword"));
    expect(JSON.stringify(await fixture.db.deviceParameter.findMany({ where: { deviceId: device.id } }))).not.toContain(
      password,
    );

    cpe.forgetNonce();
    expect((await cpe.inform(["2 PERIODIC"])).status).toBe(403);

    cpe.username = username;
    cpe.password = password;
    cpe.forgetNonce();
    expect((await cpe.inform(["2 PERIODIC"])).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    cpe.close();
  });

  it("authenticates with SHA-256 Digest when it is offered", async () => {
    const cpe = new TestCpe(withSha256.url, { username: "boot", password: "strap", algorithm: "SHA-256" });
    expect((await cpe.inform()).status).toBe(200);
    cpe.close();
  });

  it("refuses a wrong password", async () => {
    const cpe = new TestCpe(ingress.url, { username: "boot", password: "wrong" });
    expect((await cpe.inform()).status).toBe(401);
    cpe.close();
  });

  it("refuses a replayed request: same nonce and nonce count", async () => {
    const cpe = new TestCpe(ingress.url, { username: "boot", password: "strap" });
    expect((await cpe.inform()).status).toBe(200);
    // The digest does not cover the body, so any Inform (here another device's) can carry the header.
    const authorization = cpe.authorization("POST", "/");
    const xml = await informXml(new TestCpe(ingress.url));
    const first = await rawRequest(ingress.url, { method: "POST", path: "/", headers: { authorization }, body: xml });
    expect(first.status).toBe(200);
    const again = await rawRequest(ingress.url, { method: "POST", path: "/", headers: { authorization }, body: xml });
    expect(again.status).toBe(401);
    cpe.close();
  });

  it("refuses Basic over plain HTTP unless BEACON_CWMP_ALLOW_BASIC", async () => {
    const basic = `Basic ${Buffer.from("boot:strap").toString("base64")}`;
    const cpe = new TestCpe(ingress.url);
    const refused = await cpe.post(await informXml(cpe), { authorization: basic });
    expect(refused.status).toBe(401);
    const allowing = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap", allowBasic: true });
    const other = new TestCpe(allowing.url);
    expect((await other.post(await informXml(other), { authorization: basic })).status).toBe(200);
    cpe.close();
    other.close();
  });
});

async function informXml(cpe: TestCpe): Promise<string> {
  const { encodeCpe } = await import("@beacon/cwmp");
  return encodeCpe(cpe.informMessage(), { namespace: cpe.namespace, id: "1" });
}

import { encodeCpe } from "@beacon/cwmp";
import { ensurePlatformTenant, preregisterDevice } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { rawRequest, TestCpe } from "./helpers/test-cpe.ts";

/**
 * A device's own Digest credentials on an Inform are checked by the statement that opens the session
 * (openSession's DigestProof). Everything the long way refuses, this way must refuse too, and write nothing.
 */
describe("CPE authentication in the statement that opens the session", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let withSha256: RunningIngress;
  const actor = { label: "test" };

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap" });
    withSha256 = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap", digestSha256: true });
  });
  afterAll(() => fixture.close());

  async function ownDevice(url: string, username: string, password: string, algorithm?: "MD5" | "SHA-256") {
    const cpe = new TestCpe(url, { username, password, ...(algorithm ? { algorithm } : {}) });
    const tenant = await ensurePlatformTenant(fixture.db);
    await preregisterDevice(
      fixture.db,
      {
        tenantId: tenant.id,
        oui: cpe.oui,
        productClass: cpe.productClass,
        serialNumber: cpe.serialNumber,
        credentials: { username, password },
      },
      actor,
    );
    return cpe;
  }

  const lastInform = async (cpe: TestCpe) =>
    (await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } })).lastInformAt;

  it("admits a device on its own MD5 credentials and records that it used them", async () => {
    const cpe = await ownDevice(ingress.url, "proof-md5", "proof-password-1");
    expect((await cpe.inform()).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    expect(device.cwmpLastCredential).toBe("own");
    expect(device.lastInformAt).not.toBeNull();
    cpe.close();
  });

  it("admits a device on its own SHA-256 credentials", async () => {
    const cpe = await ownDevice(withSha256.url, "proof-sha", "proof-password-2", "SHA-256");
    expect((await cpe.inform()).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    cpe.close();
  });

  it("refuses a wrong password for a device's username, and writes nothing", async () => {
    const owner = await ownDevice(ingress.url, "proof-wrong", "right-password-3");
    // Same identity as the registered device: only the password differs.
    const cpe = new TestCpe(ingress.url, {
      username: "proof-wrong",
      password: "wrong-password",
      serialNumber: owner.serialNumber,
    });
    expect((await cpe.inform()).status).toBe(401);
    expect(await lastInform(cpe)).toBeNull();
    cpe.close();
    owner.close();
  });

  it("refuses a replayed Inform (same nonce and count), and the replay changes nothing", async () => {
    const cpe = await ownDevice(ingress.url, "proof-replay", "proof-password-4");
    expect((await cpe.inform()).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const authorization = cpe.authorization("POST", "/");
    const xml = encodeCpe(cpe.informMessage(), { namespace: cpe.namespace, id: "replay-1" });
    const first = await rawRequest(ingress.url, { method: "POST", path: "/", headers: { authorization }, body: xml });
    expect(first.status).toBe(200);
    const after = await lastInform(cpe);
    const again = await rawRequest(ingress.url, { method: "POST", path: "/", headers: { authorization }, body: xml });
    expect(again.status).toBe(401);
    expect(await lastInform(cpe)).toEqual(after);
    cpe.close();
  });

  it("refuses a device's own credentials on another device's Inform (403), whichever way they are checked", async () => {
    await ownDevice(ingress.url, "proof-theirs", "their-password-5");
    const impostor = new TestCpe(ingress.url, { username: "proof-theirs", password: "their-password-5" });
    expect((await impostor.inform()).status).toBe(403);
    expect(await fixture.db.device.count({ where: { serialNumber: impostor.serialNumber } })).toBe(0);
    impostor.close();
  });

  it("checks a proof-shaped header before anything else on a message that is not an Inform", async () => {
    const cpe = await ownDevice(ingress.url, "proof-other", "proof-password-6");
    expect((await cpe.inform()).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const stranger = new TestCpe(ingress.url, {
      username: "proof-other",
      password: "not-the-password",
      serialNumber: cpe.serialNumber,
    });
    // Outside any session, with a wrong password: refused before the message is looked at.
    const result = await stranger.send({ type: "GetRPCMethods" });
    expect(result.status).toBe(401);
    cpe.close();
    stranger.close();
  });
});

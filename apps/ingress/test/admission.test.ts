import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeCpe } from "@beacon/cwmp";
import { ensurePlatformTenant, preregisterDevice } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture } from "./helpers/ingress.ts";
import { TestCpe } from "./helpers/test-cpe.ts";

const actor = { label: "test" };

describe("admission policies", () => {
  let fixture: IngressFixture;

  beforeAll(async () => {
    fixture = await ingressFixture();
  });
  afterAll(() => fixture.close());

  it("closed: refuses an unknown device, admits a pre-registered one with the bootstrap credential", async () => {
    const ingress = await fixture.start({ admission: "closed", bootstrapUsername: "boot", bootstrapPassword: "strap" });
    const stranger = new TestCpe(ingress.url, { username: "boot", password: "strap" });
    expect((await stranger.inform()).status).toBe(403);
    expect(await fixture.db.device.count({ where: { serialNumber: stranger.serialNumber } })).toBe(0);

    const tenant = await ensurePlatformTenant(fixture.db);
    const known = new TestCpe(ingress.url, { username: "boot", password: "strap" });
    await preregisterDevice(
      fixture.db,
      { tenantId: tenant.id, oui: known.oui, productClass: known.productClass, serialNumber: known.serialNumber },
      actor,
    );
    expect((await known.inform(["0 BOOTSTRAP"])).status).toBe(200);
    expect((await known.send({ type: "Empty" })).message?.type).toBe("SetParameterValues");
    stranger.close();
    known.close();
  });

  it("closed: admits a device pre-registered with its own credentials", async () => {
    const ingress = await fixture.start({ admission: "closed" });
    const tenant = await ensurePlatformTenant(fixture.db);
    const cpe = new TestCpe(ingress.url, { username: "own-user", password: "own-password-1" });
    await preregisterDevice(
      fixture.db,
      {
        tenantId: tenant.id,
        oui: cpe.oui,
        productClass: cpe.productClass,
        serialNumber: cpe.serialNumber,
        credentials: { username: "own-user", password: "own-password-1" },
      },
      actor,
    );
    expect((await cpe.inform()).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    cpe.close();
  });

  it("refuses a device's own credentials presented for another device", async () => {
    const ingress = await fixture.start({ admission: "bootstrap" });
    const tenant = await ensurePlatformTenant(fixture.db);
    const owner = new TestCpe(ingress.url);
    await preregisterDevice(
      fixture.db,
      {
        tenantId: tenant.id,
        oui: owner.oui,
        productClass: owner.productClass,
        serialNumber: owner.serialNumber,
        credentials: { username: "theirs", password: "their-password" },
      },
      actor,
    );
    const impostor = new TestCpe(ingress.url, { username: "theirs", password: "their-password" });
    expect((await impostor.inform()).status).toBe(403);
    owner.close();
    impostor.close();
  });

  it("bootstrap with BEACON_CWMP_ALLOWLIST: admits listed OUIs and serial numbers only", async () => {
    const ingress = await fixture.start({
      bootstrapUsername: "boot",
      bootstrapPassword: "strap",
      allowlist: ["A1B2C3", "LISTED-1"],
    });
    const byOui = new TestCpe(ingress.url, { oui: "A1B2C3", username: "boot", password: "strap" });
    const bySerial = new TestCpe(ingress.url, { serialNumber: "LISTED-1", username: "boot", password: "strap" });
    const other = new TestCpe(ingress.url, { username: "boot", password: "strap" });
    expect((await byOui.inform()).status).toBe(200);
    expect((await bySerial.inform()).status).toBe(200);
    expect((await other.inform()).status).toBe(403);
    for (const cpe of [byOui, bySerial, other]) cpe.close();
  });

  it("open: admits any CPE without credentials and leaves them alone", async () => {
    const ingress = await fixture.start({ admission: "open" });
    const cpe = new TestCpe(ingress.url);
    expect((await cpe.inform()).status).toBe(200);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    cpe.close();
  });

  it("marks an expired nonce stale, so the CPE retries without asking anyone for a password", async () => {
    let now = new Date("2026-11-24T10:00:00Z");
    const ingress = await fixture.start(
      { bootstrapUsername: "boot", bootstrapPassword: "strap" },
      { clock: () => now },
    );
    const cpe = new TestCpe(ingress.url, { username: "boot", password: "strap" });
    expect((await cpe.inform()).status).toBe(200);
    now = new Date("2026-11-24T10:20:00Z");
    const stale = await cpe.request(encodeCpe(cpe.informMessage(), { namespace: cpe.namespace, id: "9" }));
    expect(stale.status).toBe(401);
    expect(stale.challenges[0]).toContain("stale=true");
    cpe.close();
  });

  it("takes Basic over TLS (BEACON_CWMP_TLS_CERT/KEY)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "beacon-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const tls = { cert: readFileSync(join(dir, "cert.pem")), key: readFileSync(join(dir, "key.pem")) };
    const ingress = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap" }, { https: tls });
    const cpe = new TestCpe(ingress.url);
    const xml = encodeCpe(cpe.informMessage(), { namespace: cpe.namespace, id: "1" });
    const status = await new Promise<number>((resolve, reject) => {
      const request = https.request(
        new URL("/", ingress.url),
        {
          method: "POST",
          rejectUnauthorized: false,
          headers: { authorization: `Basic ${Buffer.from("boot:strap").toString("base64")}` },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end(xml);
    });
    expect(status).toBe(200);
    rmSync(dir, { recursive: true, force: true });
  });
});

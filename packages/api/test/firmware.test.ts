import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { createApiToken, createApiTokenAuthority, createTenancy, loadTenantAccess, tenantScope } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleFirmwareUpload } from "../src/index.ts";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { seedHotelStaff } from "./helpers/hotel-staff.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

/** A body that arrives in chunks, as a browser's upload does, with no Content-Length to trust. */
function streamOf(chunks: Buffer[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]!));
      else controller.close();
    },
  });
}

/** The firmware library's upload route and the campaign procedures, with the role model. */
describe("firmware upload and campaigns", () => {
  let database: TestDatabase;
  let db: Db;
  let server: ApiServer;
  let dataDir: string;
  const users = {} as Record<Role, string>;
  let operatorId: string;
  let hotelId: string;
  const call = (role: Role, path: string, kind: "query" | "mutation", input: unknown) =>
    callProcedure(server.url, users[role], path, kind, input);

  const upload = (
    userId: string | null,
    query: Record<string, string>,
    body: ReadableStream<Uint8Array> | Buffer,
    maxBytes = 1024 * 1024,
  ) =>
    handleFirmwareUpload(
      new Request(`http://console.test/api/firmware?${new URLSearchParams(query)}`, {
        method: "POST",
        headers: { origin: "http://console.test" },
        body,
        duplex: "half",
      } as RequestInit),
      { tenancy: createTenancy(db), sessionUserId: userId, dataDir, maxBytes },
    );
  const image = (name: string) => ({
    tenantId: hotelId,
    name,
    vendor: "Beacon Sim",
    version: "V2.0.0",
    productClasses: "SimONU-98, SimONU-98B",
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    dataDir = mkdtempSync(join(tmpdir(), "beacon-api-firmware-"));
    const staff = await seedHotelStaff(db);
    hotelId = staff.hotelId;
    Object.assign(users, staff.users);
    operatorId = users.operator;
    for (let i = 0; i < 20; i++) {
      await db.device.create({
        data: {
          tenantId: hotelId,
          oui: "00BEAC",
          productClass: "SimONU-98",
          serialNumber: `FW${String(i).padStart(4, "0")}`,
          softwareVersion: "V1.0.0",
          lastInformAt: new Date(),
        },
      });
    }
    server = await startApiServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("streams an upload to disk with its SHA-256, tagged with vendor, models and version", async () => {
    const chunks = Array.from({ length: 8 }, () => randomBytes(64 * 1024));
    const response = await upload(operatorId, image("V2.0.0.bin"), streamOf(chunks));
    expect(response.status).toBe(201);
    const file = (await response.json()) as { id: string; sha256: string; size: string; productClasses: string[] };
    const sha256 = createHash("sha256").update(Buffer.concat(chunks)).digest("hex");
    expect(file).toMatchObject({ sha256, size: String(8 * 64 * 1024), productClasses: ["SimONU-98", "SimONU-98B"] });
    expect(
      createHash("sha256")
        .update(readFileSync(join(dataDir, "files", sha256)))
        .digest("hex"),
    ).toBe(sha256);
    const listed = await call("viewer", "firmware.images", "query", { tenantId: hotelId });
    expect(listed.data).toMatchObject({ total: 1, rows: [{ id: file.id, name: "V2.0.0.bin", inherited: false }] });
  });

  it("refuses a signed-in upload from another site, and takes one made with an API token", async () => {
    const post = (headers: Record<string, string>, userId: string | null = operatorId) =>
      handleFirmwareUpload(
        new Request(`http://console.test/api/firmware?${new URLSearchParams(image("cross-site.bin"))}`, {
          method: "POST",
          headers: { "content-type": "text/plain", ...headers },
          body: Buffer.from("not from the console"),
        }),
        {
          tenancy: createTenancy(db),
          tokens: createApiTokenAuthority(db),
          sessionUserId: userId,
          dataDir,
          maxBytes: 1024,
        },
      );
    const crossSite: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      {},
    ];
    for (const headers of crossSite) {
      const refused = await post(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(await refused.json()).toMatchObject({
        detail: "Upload firmware from Beacon's console, or with an API token.",
      });
    }
    expect(await db.file.count({ where: { name: "cross-site.bin" } })).toBe(0);
    expect((await post({ "sec-fetch-site": "same-origin" })).status).toBe(201);

    const owner = (await loadTenantAccess(db, users.owner))!;
    const { token } = await createApiToken(tenantScope(db, owner), owner, {
      tenantId: hotelId,
      name: "firmware script",
      role: "operator",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const byToken = await handleFirmwareUpload(
      new Request(`http://console.test/api/firmware?${new URLSearchParams(image("by-token.bin"))}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, origin: "https://ci.example" },
        body: Buffer.from("uploaded by a script"),
      }),
      { tenancy: createTenancy(db), tokens: createApiTokenAuthority(db), sessionUserId: null, dataDir, maxBytes: 1024 },
    );
    expect(byToken.status, await byToken.clone().text()).toBe(201);
    const wrong = await post({ authorization: "Bearer bcn_nope_nope" }, null);
    expect(wrong.status).toBe(401);
  });

  it("refuses an upload in words: signed out, a role without firmware, missing tags, too large", async () => {
    const body = () => Buffer.from("image");
    const signedOut = await upload(null, image("a.bin"), body());
    expect(signedOut.status).toBe(401);
    const viewer = await upload(users.viewer, image("a.bin"), body());
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { detail: string }).detail).toMatch(/firmware/);
    const untagged = await upload(operatorId, { ...image("a.bin"), version: "" }, body());
    expect(untagged.status).toBe(400);
    expect(((await untagged.json()) as { detail: string }).detail).toMatch(/version/);
    const nowhere = await upload(operatorId, { ...image("a.bin"), tenantId: randomUUID() }, body());
    expect(nowhere.status).toBe(404);
    // No Content-Length: the limit is enforced while streaming, and nothing is kept.
    const big = await upload(operatorId, image("big.bin"), streamOf([randomBytes(600_000), randomBytes(600_000)]));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { detail: string }).detail).toMatch(/larger than the 1 MiB/);
    expect(await db.file.count({ where: { name: { in: ["a.bin", "big.bin"] } } })).toBe(0);
  });

  it("starts a campaign at once, lists it with its counts, and lets an operator pause, resume and cancel it", async () => {
    const file = await db.file.findFirstOrThrow({ where: { name: "V2.0.0.bin" } });
    const input = {
      tenantId: hotelId,
      name: "SimONU-98 to V2.0.0",
      fileId: file.id,
      productClass: "SimONU-98",
      waves: [10, 100],
      maxConcurrent: 5,
      // A hotel's campaign runs 02:00-05:00 local unless told otherwise: this one may start now.
      windows: [],
    };
    const refused = await call("support", "firmware.create", "mutation", { ...input, confirmedDevices: 20 });
    expect(refused.error?.code).toBe("FORBIDDEN");
    // Nothing starts unconfirmed: the preview says what would happen, the start repeats its device count.
    const unconfirmed = await call("operator", "firmware.create", "mutation", input);
    expect(unconfirmed.error?.code).toBe("BAD_REQUEST");
    const preview = await call("operator", "firmware.preview", "mutation", input);
    expect(preview.data).toMatchObject({ devices: 20, waveSizes: [2, 18], models: [{ productClass: "SimONU-98" }] });
    const stale = await call("operator", "firmware.create", "mutation", { ...input, confirmedDevices: 21 });
    expect(stale.error?.code).toBe("CONFLICT");
    expect(await db.firmwareCampaign.count({ where: { tenantId: hotelId } })).toBe(0);
    const created = await call("operator", "firmware.create", "mutation", { ...input, confirmedDevices: 20 });
    expect(created.status, created.error?.message).toBe(200);
    const { campaign, devices, waveSizes } = created.data as {
      campaign: { id: string };
      devices: number;
      waveSizes: number[];
    };
    expect([devices, waveSizes]).toEqual([20, [2, 18]]);
    // The first wave got its downloads in the same call.
    expect(await db.task.count({ where: { kind: "download", tenantId: hotelId } })).toBe(2);

    const detail = await call("viewer", "firmware.campaign", "query", { campaignId: campaign.id });
    expect(detail.data).toMatchObject({
      state: "running",
      file: { name: "V2.0.0.bin" },
      domain: { name: "Hotel" },
      progress: { total: { devices: 20, downloading: 2, pending: 18 } },
    });
    const list = await call("viewer", "firmware.campaigns", "query", { tenantId: hotelId, pageSize: 1 });
    expect(list.data).toMatchObject({ total: 1, rows: [{ id: campaign.id, counts: { devices: 20, downloading: 2 } }] });
    const downloading = await call("viewer", "firmware.campaignDevices", "query", {
      campaignId: campaign.id,
      state: "downloading",
    });
    expect(downloading.data).toMatchObject({ total: 2 });

    const again = await call("operator", "firmware.create", "mutation", { ...input, confirmedDevices: 20 });
    expect(again.error?.message).toMatch(/exists already/);

    const paused = await call("operator", "firmware.pause", "mutation", { campaignId: campaign.id });
    expect(paused.data).toMatchObject({ state: "paused", pausedReason: "paused by operator@hotel.example.com" });
    const resumed = await call("operator", "firmware.resume", "mutation", { campaignId: campaign.id });
    expect(resumed.data).toMatchObject({ state: "running", pausedReason: null });
    const cancelled = await call("owner", "firmware.cancel", "mutation", { campaignId: campaign.id });
    expect(cancelled.data).toMatchObject({ state: "cancelled" });
    const twice = await call("owner", "firmware.cancel", "mutation", { campaignId: campaign.id });
    expect(twice.error?.message).toMatch(/cancelled already/);
    expect(await db.firmwareCampaignDevice.count({ where: { campaignId: campaign.id, state: "cancelled" } })).toBe(20);
  });
});

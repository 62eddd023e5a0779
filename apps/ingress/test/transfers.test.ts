import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Download, Upload } from "@beacon/cwmp";
import { commandKeyOf, createTask, ensurePlatformTenant, storeFile } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { rawRequest, TestCpe } from "./helpers/test-cpe.ts";

const actor = { label: "test" };

describe("file transfers", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "beacon-files-"));
    fixture = await ingressFixture();
    ingress = await fixture.start({ admission: "open", dataDir });
  });
  afterAll(async () => {
    await fixture.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function registered(): Promise<{ cpe: TestCpe; deviceId: string }> {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    return { cpe, deviceId: device.id };
  }

  it("serves a download at its task's URL, with Range, and closes the task on TransferComplete", async () => {
    const tenant = await ensurePlatformTenant(fixture.db);
    const content = Buffer.from("firmware image 0123456789");
    const file = await storeFile(
      fixture.db,
      dataDir,
      { tenantId: tenant.id, name: "fw-1.2.bin", fileType: "1 Firmware Upgrade Image", content },
      actor,
    );
    const { cpe, deviceId } = await registered();
    const task = await createTask(fixture.db, { deviceId, kind: "download", args: { fileId: file.id } }, actor);

    const request = await cpe.send({ type: "Empty" });
    const download = request.message as Download;
    expect(download).toMatchObject({
      type: "Download",
      commandKey: commandKeyOf(task.id),
      fileType: "1 Firmware Upgrade Image",
      fileSize: content.length,
      targetFileName: "fw-1.2.bin",
    });
    const url = new URL(download.url);
    expect(url.origin).toBe(ingress.url);

    const whole = await rawRequest(ingress.url, { method: "GET", path: url.pathname });
    expect(whole.status).toBe(200);
    expect(whole.body).toBe(content.toString());
    expect(whole.headers["accept-ranges"]).toBe("bytes");
    const part = await rawRequest(ingress.url, { method: "GET", path: url.pathname, headers: { range: "bytes=9-13" } });
    expect(part.status).toBe(206);
    expect(part.body).toBe("image");
    expect(part.headers["content-range"]).toBe(`bytes 9-13/${content.length}`);
    expect(
      (await rawRequest(ingress.url, { method: "GET", path: url.pathname, headers: { range: "bytes=999-" } })).status,
    ).toBe(416);
    const wrongToken = url.pathname.replace(/\/files\/([^/]+)\/[^/]+\//, "/files/$1/0000/");
    expect((await rawRequest(ingress.url, { method: "GET", path: wrongToken })).status).toBe(404);

    expect(
      (
        await cpe.answer(request, {
          type: "DownloadResponse",
          status: 1,
          startTime: "0001-01-01T00:00:00Z",
          completeTime: "0001-01-01T00:00:00Z",
        })
      ).status,
    ).toBe(204);
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("running");

    // The CPE reboots into the new image and reports in a new session.
    await cpe.inform(["1 BOOT", "7 TRANSFER COMPLETE", "M Download"]);
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("running");
    const ack = await cpe.send({
      type: "TransferComplete",
      commandKey: commandKeyOf(task.id),
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "2026-11-24T10:00:00Z",
      completeTime: "2026-11-24T10:01:00Z",
    });
    expect(ack.message).toEqual({ type: "TransferCompleteResponse" });
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const done = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done).toMatchObject({
      state: "done",
      result: { startTime: "2026-11-24T10:00:00Z", completeTime: "2026-11-24T10:01:00Z" },
    });
    // The URL died with the task.
    expect((await rawRequest(ingress.url, { method: "GET", path: url.pathname })).status).toBe(404);
    cpe.close();
  });

  it("records a failed transfer's fault code with its text", async () => {
    const { cpe, deviceId } = await registered();
    const task = await createTask(
      fixture.db,
      {
        deviceId,
        kind: "download",
        args: { url: "http://example.invalid/fw.bin", fileType: "1 Firmware Upgrade Image" },
      },
      actor,
    );
    const request = await cpe.send({ type: "Empty" });
    expect((request.message as Download).url).toBe("http://example.invalid/fw.bin");
    await cpe.answer(request, { type: "DownloadResponse", status: 1, startTime: "", completeTime: "" });
    await cpe.inform(["7 TRANSFER COMPLETE"]);
    await cpe.send({
      type: "TransferComplete",
      commandKey: commandKeyOf(task.id),
      faultStruct: { faultCode: 9015, faultString: "" },
      startTime: "0001-01-01T00:00:00Z",
      completeTime: "0001-01-01T00:00:00Z",
    });
    await cpe.send({ type: "Empty" });
    const failed = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(failed).toMatchObject({ state: "fault", faultCode: 9015 });
    expect(failed.faultString).toMatch(/could not contact the file server/);
    cpe.close();
  });

  it("receives an upload at its task's URL and keeps it as a file of the device's tenant", async () => {
    const { cpe, deviceId } = await registered();
    const task = await createTask(
      fixture.db,
      { deviceId, kind: "upload", args: { fileType: "1 Vendor Configuration File" } },
      actor,
    );
    const request = await cpe.send({ type: "Empty" });
    const upload = request.message as Upload;
    expect(upload).toMatchObject({
      type: "Upload",
      commandKey: commandKeyOf(task.id),
      fileType: "1 Vendor Configuration File",
    });
    const path = new URL(upload.url).pathname;
    const put = await rawRequest(ingress.url, {
      method: "PUT",
      path,
      headers: { "content-type": "application/octet-stream" },
      body: "config=1\n",
    });
    expect(put.status).toBe(201);
    expect(
      (await rawRequest(ingress.url, { method: "PUT", path: path.replace(/[0-9a-f]{32}$/, "0".repeat(32)), body: "x" }))
        .status,
    ).toBe(404);
    await cpe.answer(request, { type: "UploadResponse", status: 1, startTime: "", completeTime: "" });
    await cpe.inform(["7 TRANSFER COMPLETE", "M Upload"]);
    await cpe.send({
      type: "TransferComplete",
      commandKey: commandKeyOf(task.id),
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "",
      completeTime: "",
    });
    await cpe.send({ type: "Empty" });
    const done = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done.state).toBe("done");
    const fileId = (done.result as { fileId: string }).fileId;
    const file = await fixture.db.file.findUniqueOrThrow({ where: { id: fileId } });
    expect(file).toMatchObject({ fileType: "1 Vendor Configuration File", size: 9n });
    expect(file.name).toContain(cpe.serialNumber);
    cpe.close();
  });
});

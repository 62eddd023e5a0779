import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobPath } from "../src/files/file-store.ts";
import { FIRMWARE_FILE_TYPE, uploadFirmware } from "../src/firmware/firmware-library.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const MiB = 1024 * 1024;

/** 200 MiB of varied bytes, made chunk by chunk as they are read, hashed on the way for comparison. */
function generatedImage(totalBytes: number, onChunk: () => void) {
  const hash = createHash("sha256");
  let sent = 0;
  let counter = 0;
  const stream = new Readable({
    read() {
      if (sent >= totalBytes) {
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(Math.min(MiB, totalBytes - sent), counter++ % 251);
      chunk.writeUInt32BE(counter, 0);
      hash.update(chunk);
      sent += chunk.length;
      onChunk();
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest("hex") };
}

describe("firmware library", () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "beacon-firmware-upload-"));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("streams a 200 MB image to disk with its SHA-256 while the heap stays small", async () => {
    const tenant = await ensurePlatformTenant(database.db);
    const size = 200 * MiB;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const image = generatedImage(size, () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    const file = await uploadFirmware(
      database.db,
      dataDir,
      {
        tenantId: tenant.id,
        name: "EG8145V5-V5R020C10S115.bin",
        content: image.stream,
        vendor: "Huawei",
        productClasses: ["EG8145V5"],
        version: "V5R020C10S115",
      },
      { label: "ops@example.net" },
    );
    const growth = peak - before;
    console.log(
      `200 MiB firmware upload: heap grew by at most ${(growth / MiB).toFixed(1)} MiB (heapUsed ${(before / MiB).toFixed(1)} -> peak ${(peak / MiB).toFixed(1)} MiB)`,
    );
    expect(growth).toBeLessThan(50 * MiB);
    expect(file).toMatchObject({
      fileType: FIRMWARE_FILE_TYPE,
      size: BigInt(size),
      sha256: image.digest(),
      version: "V5R020C10S115",
    });
    expect(file.storagePath).toBe(join("files", file.sha256));
    expect(statSync(blobPath(dataDir, file.storagePath)).size).toBe(size);
  }, 120_000);

  it("refuses firmware without the version it installs", async () => {
    const tenant = await ensurePlatformTenant(database.db);
    await expect(
      uploadFirmware(
        database.db,
        dataDir,
        {
          tenantId: tenant.id,
          name: "x.bin",
          content: Readable.from([Buffer.from("x")]),
          vendor: "Acme",
          productClasses: ["X"],
          version: " ",
        },
        { label: "ops" },
      ),
    ).rejects.toThrow("firmware needs the version devices report once they run it");
  });
});

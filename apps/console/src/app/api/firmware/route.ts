import { handleFirmwareUpload } from "@beacon/api";
import { createApiTokenAuthority, createTenancy } from "@beacon/domain";
import { sessionUserId } from "@/server/auth.ts";
import { consoleConfig } from "@/server/config.ts";
import { consoleDb } from "@/server/db.ts";

/** Firmware uploads: the raw image as the body, streamed to the data folder (packages/api/src/firmware-upload.ts). */
export async function POST(request: Request): Promise<Response> {
  const config = consoleConfig();
  return handleFirmwareUpload(request, {
    tenancy: createTenancy(consoleDb()),
    tokens: createApiTokenAuthority(consoleDb()),
    sessionUserId: await sessionUserId(),
    dataDir: config.dataDir,
    maxBytes: config.firmwareMaxBytes,
    onInternalError: (error) => console.error("[firmware] upload failed", error),
  });
}

import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { type ApiTokenAuthority, FileTooLarge, type Tenancy, type TenantAccess, uploadFirmware } from "@beacon/domain";
import { z } from "zod";
import { INTERNAL_PROBLEM, problemOf, problemResponse, toJson } from "./errors.ts";

export interface FirmwareUploadOptions {
  tenancy: Tenancy;
  sessionUserId: string | null;
  /** Scripts upload with an API token (Authorization: Bearer), as they call the REST API. */
  tokens?: ApiTokenAuthority;
  /** BEACON_DATA_DIR: images go to <dataDir>/files, where the ingress's file server reads them. */
  dataDir: string;
  /** Largest image accepted, in bytes. */
  maxBytes: number;
  onInternalError?: (error: unknown) => void;
}

/**
 * Who uploads: an API token, or the signed-in user of a page of this very console. A cookie alone does not do: a
 * form or fetch from another site would carry it (a text/plain POST needs no preflight), so a session upload must
 * come from the console's own origin, which browsers state in Origin (or Sec-Fetch-Site).
 */
async function callerOf(
  request: Request,
  options: FirmwareUploadOptions,
): Promise<{ access: TenantAccess } | { problem: Response }> {
  const authorization = request.headers.get("authorization");
  if (authorization && options.tokens) {
    const authentication = await options.tokens.authenticate(authorization);
    if (!authentication.ok)
      return { problem: problemResponse({ code: "unauthenticated", detail: authentication.message }) };
    return { access: authentication.access };
  }
  if (!options.sessionUserId)
    return { problem: problemResponse({ code: "unauthenticated", detail: "Sign in to upload firmware." }) };
  if (!sameOrigin(request)) {
    return {
      problem: problemResponse({
        code: "forbidden",
        detail: "Upload firmware from Beacon's console, or with an API token.",
      }),
    };
  }
  const access = await options.tenancy.accessFor(options.sessionUserId);
  if (!access)
    return { problem: problemResponse({ code: "unauthenticated", detail: "Your session has ended: sign in again." }) };
  return { access };
}

export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin) {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/**
 * POST /api/firmware?tenantId=&name=&vendor=&version=&productClasses=a,b with the image as the raw body: the
 * console's upload. The body is streamed to disk and hashed on the way (never held whole in memory); the signed-in
 * user needs firmware.manage on the domain. Errors are problem documents with a sentence to show.
 */
export async function handleFirmwareUpload(request: Request, options: FirmwareUploadOptions): Promise<Response> {
  if (request.method !== "POST") {
    return problemResponse({ code: "method_not_allowed", detail: "Upload firmware with POST." }, { allow: "POST" });
  }
  const caller = await callerOf(request, options);
  if ("problem" in caller) return caller.problem;
  const { access } = caller;

  const query = new URL(request.url).searchParams;
  const tenantId = query.get("tenantId") ?? "";
  if (!z.uuid().safeParse(tenantId).success) {
    return problemResponse({ code: "invalid_input", detail: "Say which domain the image is for (tenantId)." });
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > options.maxBytes) return tooLarge(options.maxBytes);
  if (declared === 0 || !request.body)
    return problemResponse({ code: "invalid_input", detail: "The upload is empty." });
  const body = request.body;

  try {
    const file = await options.tenancy.withinReach(access, { domainId: tenantId }, "firmware.manage", (db) =>
      uploadFirmware(
        db,
        options.dataDir,
        {
          tenantId,
          name: query.get("name") ?? "",
          vendor: query.get("vendor") ?? "",
          version: query.get("version") ?? "",
          productClasses: (query.get("productClasses") ?? "").split(","),
          content: Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
          maxBytes: options.maxBytes,
        },
        access.actor,
      ),
    );
    const answer = {
      id: file.id,
      name: file.name,
      size: file.size,
      sha256: file.sha256,
      vendor: file.vendor,
      version: file.version,
      productClasses: file.productClasses,
    };
    return new Response(toJson(answer), {
      status: 201,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  } catch (error) {
    if (error instanceof FileTooLarge) return tooLarge(options.maxBytes);
    const problem = problemOf(error);
    if (problem) return problemResponse(problem);
    options.onInternalError?.(error);
    return problemResponse(INTERNAL_PROBLEM);
  }
}

function tooLarge(maxBytes: number): Response {
  const size =
    maxBytes >= 1024 ** 3 ? `${(maxBytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(maxBytes / 1024 ** 2)} MiB`;
  return problemResponse(
    { code: "too_large", detail: `The image is larger than the ${size} Beacon accepts (BEACON_FIRMWARE_MAX_BYTES).` },
    { connection: "close" },
  );
}

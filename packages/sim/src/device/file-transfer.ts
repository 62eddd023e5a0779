import type { TransferCompleteFaultStruct } from "@beacon/cwmp";
import { HttpClient } from "../transport/http-client.ts";

/**
 * The HTTP side of Download and Upload (TR-069 3.5): GET or PUT with the credentials the ACS gave, and the
 * transfer fault codes of TR-069 A.5.1 for what can go wrong.
 */

export type TransferResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly fault: TransferCompleteFaultStruct };

export interface TransferCredentials {
  readonly username: string;
  readonly password: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly rejectUnauthorized: boolean;
}

function failed(faultCode: number, faultString: string): TransferResult {
  return { ok: false, fault: { faultCode, faultString } };
}

function unsupported(url: string): TransferResult | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return failed(9003, `not a URL: ${url}`);
  }
  return protocol === "http:" || protocol === "https:"
    ? undefined
    : failed(9013, `${protocol.slice(0, -1)} is not supported`);
}

/** Fetches a file; expectedSize 0 means "not given" (TR-069 A.3.2.8 FileSize). */
export async function downloadFile(
  url: string,
  expectedSize: number,
  credentials: TransferCredentials,
): Promise<TransferResult> {
  const bad = unsupported(url);
  if (bad) return bad;
  const client = clientFor(credentials);
  try {
    const reply = await client.request("GET", url);
    if (reply.status === 401) return failed(9012, "File server authentication failed");
    if (reply.status === 404 || reply.status === 403) return failed(9016, `HTTP ${reply.status} for ${url}`);
    if (reply.status !== 200) return failed(9010, `HTTP ${reply.status} for ${url}`);
    if (expectedSize > 0 && reply.body.length !== expectedSize) {
      return failed(9018, `received ${reply.body.length} bytes, FileSize says ${expectedSize}`);
    }
    return { ok: true, body: reply.body };
  } catch (e) {
    return failed(9015, e instanceof Error ? e.message : String(e));
  } finally {
    client.destroy();
  }
}

/** Sends a file with HTTP PUT (TR-069 3.5: uploads use PUT or POST; PUT is what most stacks do). */
export async function uploadFile(url: string, body: Buffer, credentials: TransferCredentials): Promise<TransferResult> {
  const bad = unsupported(url);
  if (bad) return bad;
  const client = clientFor(credentials);
  try {
    const reply = await client.request("PUT", url, body, { "content-type": "application/octet-stream" });
    if (reply.status === 401) return failed(9012, "File server authentication failed");
    if (reply.status < 200 || reply.status > 299) return failed(9011, `HTTP ${reply.status} for ${url}`);
    return { ok: true, body };
  } catch (e) {
    return failed(9011, e instanceof Error ? e.message : String(e));
  } finally {
    client.destroy();
  }
}

function clientFor(c: TransferCredentials): HttpClient {
  return new HttpClient({
    ...(c.username === "" ? {} : { username: c.username, password: c.password }),
    userAgent: c.userAgent,
    timeoutMs: c.timeoutMs,
    rejectUnauthorized: c.rejectUnauthorized,
  });
}

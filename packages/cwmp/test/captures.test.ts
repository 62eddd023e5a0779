import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CpeMessage, decode, encodeCpe, type HttpHeaders } from "../src/index.ts";

/**
 * Every real capture in ../shared/cwmp-captures (read at run time, never copied into the repository):
 * each decodes to the message its file name announces and survives encodeCpe -> decode unchanged; the one
 * MALFORMED file fails with a decode error.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const capturesDir = join(process.env.BEACON_SHARED_DIR ?? join(repoRoot, "../shared"), "cwmp-captures");
const available = existsSync(capturesDir);

if (!available) {
  console.warn(
    `[cwmp] capture tests SKIPPED: ${capturesDir} does not exist. ` +
      "Point BEACON_SHARED_DIR at the shared folder to run them; the quirk tests cover the same cases.",
  );
}

function captureFiles(): string[] {
  const list = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && (e.name.endsWith(".xml") || e.name.endsWith(".txt")))
      .map((e) => join(dir, e.name));
  const generated = join(capturesDir, "generated");
  return [...list(capturesDir), ...(existsSync(generated) ? list(generated) : [])];
}

/** "perl-cwmp__thomson-bant-r-7.4.1.7__GetParameterValuesResponse.http.txt" -> "GetParameterValuesResponse". */
function expectedType(file: string): string {
  const name = file.slice(file.lastIndexOf("/") + 1);
  const last = name.split("__").at(-1) ?? "";
  return last.split(/[_.]/)[0] ?? "";
}

/** A raw HTTP request as stored: header lines, an empty line, then the body bytes. */
function splitHttp(raw: Buffer): { headers: HttpHeaders; body: Uint8Array } {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  const [end, gap] = crlf !== -1 && (lf === -1 || crlf < lf) ? [crlf, 4] : [lf, 2];
  if (end === -1) throw new Error("no blank line after the HTTP headers");
  const headers: Record<string, string> = {};
  for (const line of raw.subarray(0, end).toString("latin1").split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, body: new Uint8Array(raw.subarray(end + gap)) };
}

function load(file: string): { headers: HttpHeaders | undefined; body: Uint8Array } {
  const raw = readFileSync(file);
  return file.endsWith(".http.txt") ? splitHttp(raw) : { headers: undefined, body: new Uint8Array(raw) };
}

/** A few facts per capture that the file's notes in SOURCES.md promise. */
const SPOT_CHECKS: Record<string, (m: CpeMessage, header: { id?: string }) => void> = {
  "cwmp_ex__cytco-bcm__Inform_INVALID_CurrentTime.xml": (m) => {
    expect(m).toMatchObject({ currentTime: "2019-03-05T11:54::14", retryCount: 942, deviceId: { oui: "00A859" } });
  },
  "cwmp_ex__motorola-vap2404e__Inform_NO_HEADER.xml": (_m, header) => {
    expect(header.id).toBeUndefined();
  },
  "cwmp_ex__zyxel-vmg8924-b10a__Inform_6_CONNECTION_REQUEST.xml": (m) => {
    expect(m.type === "Inform" && m.parameterList.length).toBe(8);
    expect(m.type === "Inform" && m.event[0]?.eventCode).toBe("6 CONNECTION REQUEST");
  },
  "perl-cwmp__thomson-speedtouch-706__Inform.xml": (m) => {
    expect(m).toMatchObject({ maxEnvelopes: 2, retryCount: 10, currentTime: "1970-01-01T03:18:53Z" });
    expect(m.type === "Inform" && m.parameterList.some((p) => p.name === "ExternalIPAddress")).toBe(true);
  },
  "perl-cwmp__thomson-speedtouch-780__GetParameterNamesResponse.xml": (m) => {
    expect(m.type === "GetParameterNamesResponse" && m.parameterList.length).toBe(3343);
  },
  "perl-cwmp__thomson-bant-r-7.4.1.7__Inform.http.txt": (m) => {
    expect(m).toMatchObject({ retryCount: 0, maxEnvelopes: 2 });
  },
  "perl-cwmp__thomson-bant-r-7.4.1.7__Fault.http.txt": (m) => {
    expect(m).toMatchObject({ type: "Fault", faultCode: 9001, faultString: "Request Denied" });
  },
  "perl-cwmp__thomson-bant-r-7.4.1.7__GetParameterAttributesResponse.xml": (m) => {
    expect(m.type === "GetParameterAttributesResponse" && m.parameterList[0]?.accessList).toEqual(["subscriber"]);
  },
  "perl-cwmp__thomson-bant-w-6.2.17.5__GetParameterValuesResponse.http.txt": (m) => {
    expect(m.type === "GetParameterValuesResponse" && m.parameterList.every((p) => p.type === undefined)).toBe(true);
  },
  "perl-cwmp__thomson-speedtouch-780__GetRPCMethodsResponse.xml": (m) => {
    expect(m.type === "GetRPCMethodsResponse" && m.methodList.length).toBe(9);
  },
  "easycwmp-1.8.6__Fault_9003_SetParameterValuesFault_9008.xml": (m) => {
    expect(m).toMatchObject({
      faultCode: 9003,
      setParameterValuesFault: [{ parameterName: "InternetGatewayDevice.DeviceInfo.SerialNumber", faultCode: 9008 }],
    });
  },
  "mhils-honeyclient__Inform_default_FRITZBox_profile.xml": (m) => {
    expect(m.type === "Inform" && m.event.map((e) => e.eventCode)).toEqual(["4 VALUE CHANGE", "1 BOOT", "0 BOOTSTRAP"]);
  },
};

describe.skipIf(!available)(`real CWMP captures in ${capturesDir}`, () => {
  const files = available ? captureFiles() : [];

  it("finds the captures", () => {
    expect(files.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (name.includes("MALFORMED")) {
      it(`${name}: fails with a decode error, without throwing`, () => {
        const { headers, body } = load(file);
        const result = decode(body, headers);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe("malformed-xml");
      });
      continue;
    }
    const type = expectedType(file);
    it(`${name}: decodes as ${type} and survives encodeCpe -> decode`, () => {
      const { headers, body } = load(file);
      const result = decode(body, headers);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      const { envelope } = result;
      expect(envelope.message.type).toBe(type);
      expect(envelope.namespace).toMatch(/^urn:dslforum-org:cwmp-1-\d$/);
      SPOT_CHECKS[name]?.(envelope.message, envelope.header);

      const again = decode(encodeCpe(envelope.message, { namespace: envelope.namespace, ...envelope.header }));
      if (!again.ok) throw new Error(`re-encoded: ${again.error.code}: ${again.error.message}`);
      expect(again.envelope).toStrictEqual(envelope);
    });
  }
});

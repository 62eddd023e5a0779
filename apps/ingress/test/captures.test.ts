import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "@beacon/cwmp";
import { createTask } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { TestCpe } from "./helpers/test-cpe.ts";

/**
 * Real CPE messages from ../shared/cwmp-captures (read at run time, never copied here) over real HTTP: every
 * Inform opens a session with the headers its CPE sent, every CPE Fault settles a task. Skipped, saying so,
 * when the folder is absent; http.test.ts and the codec's quirk tests cover the same cases on our own data.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const capturesDir = join(process.env.BEACON_SHARED_DIR ?? join(repoRoot, "../shared"), "cwmp-captures");
const available = existsSync(capturesDir);
if (!available) console.warn(`[ingress] capture tests SKIPPED: ${capturesDir} does not exist (set BEACON_SHARED_DIR)`);

interface Capture {
  name: string;
  headers: Record<string, string>;
  body: Buffer;
}

function captures(kind: string): Capture[] {
  if (!available) return [];
  const dirs = [capturesDir, join(capturesDir, "generated")].filter(existsSync);
  const files = dirs.flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)));
  const wanted = files.filter((f) => (f.split("__").at(-1) ?? "").startsWith(kind));
  // Prefer the raw HTTP dump of a message when both it and the bare XML exist.
  const chosen = wanted.filter((f) => f.endsWith(".http.txt") || !wanted.includes(f.replace(/\.xml$/, ".http.txt")));
  return chosen.filter((f) => f.endsWith(".xml") || f.endsWith(".http.txt")).map(readCapture);
}

function readCapture(file: string): Capture {
  const bytes = readFileSync(file);
  const name = file.slice(file.lastIndexOf("/") + 1);
  if (!name.endsWith(".http.txt")) return { name, headers: { "content-type": "text/xml" }, body: bytes };
  const split = bytes.indexOf("\r\n\r\n") >= 0 ? bytes.indexOf("\r\n\r\n") : bytes.indexOf("\n\n");
  const gap = bytes.indexOf("\r\n\r\n") >= 0 ? 4 : 2;
  const headers: Record<string, string> = {};
  for (const line of bytes.subarray(0, split).toString("latin1").split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // Transport headers of the original exchange do not apply here.
  for (const h of ["host", "content-length", "authorization", "cookie", "connection", "expect"]) delete headers[h];
  return { name, headers, body: bytes.subarray(split + gap) };
}

describe.skipIf(!available)("real CPE captures over HTTP", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ admission: "open" });
  });
  afterAll(() => fixture.close());

  it.each(captures("Inform").map((c) => [c.name, c] as const))("opens a session for %s", async (_name, capture) => {
    const expected = decode(capture.body, capture.headers);
    const cpe = new TestCpe(ingress.url);
    const result = await cpe.post(capture.body, capture.headers);
    if (!expected.ok) {
      expect(result.status).toBe(500);
      expect(result.body).toContain("<FaultCode>8003</FaultCode>");
      return;
    }
    expect(result.status).toBe(200);
    const answer = cpe.decodeResult(result);
    expect(answer.message).toEqual({ type: "InformResponse" });
    expect(answer.id).toBe(expected.envelope.header.id);
    expect(result.body).toContain(`"${expected.envelope.namespace}"`);
    const inform = expected.envelope.message;
    if (inform.type !== "Inform") throw new Error("not an Inform");
    let end = await cpe.send({ type: "Empty" });
    if (end.message?.type === "GetParameterValues") {
      // The Inform lacks PeriodicInformInterval (most stacks leave it out): Beacon reads it once.
      expect(end.message.parameterNames).toEqual([expect.stringMatching(/ManagementServer\.PeriodicInformInterval$/)]);
      end = await cpe.answer(end, {
        type: "GetParameterValuesResponse",
        parameterList: [{ name: end.message.parameterNames[0]!, value: "3600", type: "xsd:unsignedInt" }],
      });
    }
    expect(end.status).toBe(204);
    const device = await fixture.db.device.findFirstOrThrow({
      where: { serialNumber: inform.deviceId.serialNumber, oui: inform.deviceId.oui },
      // Some captures come from the same device: this Inform's events are the newest.
      include: { events: { orderBy: { id: "desc" }, take: inform.event.length } },
    });
    expect(device.events.map((e) => e.code).sort()).toEqual(inform.event.map((e) => e.eventCode).sort());
    cpe.close();
  });

  it.each(captures("Fault").map((c) => [c.name, c] as const))(
    "records the CPE fault of %s on its task",
    async (_name, capture) => {
      const expected = decode(capture.body, capture.headers);
      if (!expected.ok || expected.envelope.message.type !== "Fault") throw new Error("not a Fault");
      const cpe = new TestCpe(ingress.url);
      await cpe.inform();
      const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
      const task = await createTask(
        fixture.db,
        { deviceId: device.id, kind: "getParameterValues", args: { names: ["X."] } },
        { label: "test" },
      );
      expect((await cpe.send({ type: "Empty" })).message?.type).toBe("GetParameterValues");
      expect((await cpe.post(capture.body, capture.headers)).status).toBe(204);
      const faulted = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
      expect(faulted).toMatchObject({ state: "fault", faultCode: expected.envelope.message.faultCode });
      cpe.close();
    },
  );

  it.each(captures("GetRPCMethods_from_CPE").map((c) => [c.name, c] as const))("answers %s", async (_name, capture) => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const result = await cpe.post(capture.body, capture.headers);
    expect(result.status).toBe(200);
    expect(cpe.decodeResult(result).message?.type).toBe("GetRPCMethodsResponse");
    cpe.close();
  });
});

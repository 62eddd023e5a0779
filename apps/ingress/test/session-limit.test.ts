import { connect } from "node:net";
import { encodeCpe } from "@beacon/cwmp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { TestCpe } from "./helpers/test-cpe.ts";

/** One HTTP exchange on a socket of its own, read as the bytes on the wire (CPEs parse headers by hand). */
function rawPost(baseUrl: string, body: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
  });
}

describe("sessions in flight per ingress process (BEACON_INGRESS_MAX_SESSIONS)", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ admission: "open", maxSessions: 2 });
  });
  afterAll(() => fixture.close());

  it("refuses a session past the limit with 503 and Retry-After spelled exactly, and drops none admitted", async () => {
    const first = new TestCpe(ingress.url);
    const second = new TestCpe(ingress.url);
    expect((await first.inform()).status).toBe(200);
    expect((await second.inform()).status).toBe(200);
    expect(ingress.app.cwmpGate.inFlight).toBe(2);

    const third = new TestCpe(ingress.url);
    const wire = await rawPost(
      ingress.url,
      encodeCpe(third.informMessage(["2 PERIODIC"]), { namespace: third.namespace, id: "1" }),
    );
    expect(wire).toMatch(/^HTTP\/1\.1 503 /);
    expect(wire).toContain("\r\nRetry-After: 10\r\n");
    expect(await fixture.db.device.count({ where: { serialNumber: third.serialNumber } })).toBe(0);

    // The admitted sessions go on to their end while the process is full.
    expect((await first.send({ type: "Empty" })).status).toBe(204);
    expect(ingress.app.cwmpGate.inFlight).toBe(1);
    // One slot is free again: the next session is admitted, and the one after it refused.
    const fourth = new TestCpe(ingress.url);
    expect((await fourth.inform()).status).toBe(200);
    expect((await third.inform()).status).toBe(503);
    expect((await fourth.send({ type: "Empty" })).status).toBe(204);
    expect((await second.send({ type: "Empty" })).status).toBe(204);
    expect((await third.inform()).status).toBe(200);
    expect((await third.send({ type: "Empty" })).status).toBe(204);
    for (const cpe of [first, second, third, fourth]) cpe.close();
  });

  it("lets a CPE whose session is held send a new Inform on it (it replaces the session) while full", async () => {
    const a = new TestCpe(ingress.url);
    const b = new TestCpe(ingress.url);
    expect((await a.inform()).status).toBe(200);
    expect((await b.inform()).status).toBe(200);
    expect(ingress.app.cwmpGate.inFlight).toBe(2);
    expect((await new TestCpe(ingress.url).inform()).status).toBe(503);
    expect((await a.inform(["2 PERIODIC"])).status).toBe(200);
    expect(ingress.app.cwmpGate.inFlight).toBe(2);
    expect((await a.send({ type: "Empty" })).status).toBe(204);
    expect((await b.send({ type: "Empty" })).status).toBe(204);
    expect(ingress.app.cwmpGate.inFlight).toBe(0);
    a.close();
    b.close();
  });
});

import { createHash, createHmac } from "node:crypto";
import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpConnectionRequest } from "../src/connection-request/http-connection-request.ts";
import { parseUdpAddress, udpConnectionRequestMessage } from "../src/connection-request/udp-connection-request.ts";
import { wakeDevice } from "../src/connection-request/wake-device.ts";
import { parseAuthParams } from "../src/cpe-auth/digest.ts";
import { createTask } from "../src/tasks/create-task.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";

/** A CPE's connection-request endpoint that insists on Digest with the given credentials. */
function digestCpe(username: string, password: string) {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    const header = request.headers.authorization;
    if (!header?.startsWith("Digest ")) {
      response.writeHead(401, { "www-authenticate": 'Digest realm="cpe", qop="auth", nonce="abc123", opaque="o"' });
      response.end();
      return;
    }
    const p = parseAuthParams(header.slice(7));
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const expected = md5(
      `${md5(`${username}:cpe:${password}`)}:abc123:${p.nc}:${p.cnonce}:auth:${md5(`GET:${p.uri}`)}`,
    );
    response.writeHead(p.username === username && p.response === expected ? 204 : 401);
    response.end();
  });
  return {
    server,
    requests: () => requests,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/cr?x=1`),
        ),
      ),
  };
}

describe("connection requests", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("wakes a CPE over HTTP with Digest and records the outcome on the task", async () => {
    const cpe = digestCpe("cr-user", "cr-pass");
    const url = await cpe.listen();
    const tenant = await ensurePlatformTenant(database.db);
    const device = await database.db.device.create({
      data: {
        tenantId: tenant.id,
        oui: "00D09E",
        serialNumber: "CR1",
        connectionRequestUrl: url,
        connReqUsername: "cr-user",
        connReqPassword: "cr-pass",
      },
    });
    const task = await createTask(database.db, { deviceId: device.id, kind: "reboot" }, { label: "test" });
    expect(await wakeDevice(database.db, device.id, { taskId: task.id })).toMatchObject({ outcome: "woken" });
    expect((await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).wakeOutcome).toBe("woken");
    expect(cpe.requests()).toBe(2);
    cpe.server.close();
  });

  it("reports wrong credentials, an unreachable CPE, and a device without address", async () => {
    const cpe = digestCpe("cr-user", "other");
    const url = await cpe.listen();
    expect((await httpConnectionRequest(url, { username: "cr-user", password: "cr-pass" })).outcome).toBe(
      "auth-rejected",
    );
    cpe.server.close();
    expect((await httpConnectionRequest("http://127.0.0.1:1/", { username: null, password: null })).outcome).toBe(
      "unreachable",
    );
    const tenant = await ensurePlatformTenant(database.db);
    const device = await database.db.device.create({
      data: { tenantId: tenant.id, oui: "00D09E", serialNumber: "CR2" },
    });
    expect((await wakeDevice(database.db, device.id)).outcome).toBe("no-address");
  });

  it("signs a UDP connection request with HMAC-SHA1 over ts, id, un and cn (TR-069 Annex G)", () => {
    let n = 0;
    const message = udpConnectionRequestMessage(
      "10.1.2.3:7547",
      { username: "u", password: "p" },
      new Date(1_700_000_000_000),
      () => `r${++n}`,
    );
    const [requestLine, host] = message.split("\r\n");
    expect(host).toBe("Host: 10.1.2.3:7547");
    const url = new URL(requestLine!.split(" ")[1]!);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({ ts: "1700000000", id: "r1", un: "u", cn: "r2" });
    expect(q.sig).toBe(createHmac("sha1", "p").update("1700000000r1ur2").digest("hex"));
    expect(parseUdpAddress("[2001:db8::1]:7547")).toEqual({ host: "2001:db8::1", port: 7547 });
  });

  it("falls back to UDP, sent three times, when HTTP cannot reach the CPE", async () => {
    const socket = dgram.createSocket("udp4");
    const received: string[] = [];
    socket.on("message", (m) => received.push(m.toString()));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const port = socket.address().port;
    const tenant = await ensurePlatformTenant(database.db);
    const device = await database.db.device.create({
      data: {
        tenantId: tenant.id,
        oui: "00D09E",
        serialNumber: "CR3",
        connectionRequestUrl: "http://127.0.0.1:1/",
        udpConnectionRequestAddress: `127.0.0.1:${port}`,
        connReqUsername: "u",
        connReqPassword: "p",
      },
    });
    expect((await wakeDevice(database.db, device.id)).outcome).toBe("udp-sent");
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(received).toHaveLength(3);
    expect(new Set(received).size).toBe(1);
    expect(received[0]).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\?ts=\d+&id=\w+&un=u&cn=\w+&sig=[0-9a-f]{40} HTTP\/1\.1\r\n/,
    );
  });
});

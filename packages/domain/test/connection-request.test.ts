import { createHash, createHmac } from "node:crypto";
import dgram from "node:dgram";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectionRequestTargets,
  DEFAULT_CONNECTION_REQUEST_TARGETS,
  targetRefusal,
} from "../src/connection-request/connection-request-targets.ts";
import { httpConnectionRequest } from "../src/connection-request/http-connection-request.ts";
import { parseUdpAddress, udpConnectionRequestMessage } from "../src/connection-request/udp-connection-request.ts";
import { wakeDevice } from "../src/connection-request/wake-device.ts";
import { parseAuthParams } from "../src/cpe-auth/digest.ts";
import { createTask } from "../src/tasks/create-task.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";

/** Tests' CPEs listen on 127.0.0.1, which connection requests may not reach by default. */
const targets = connectionRequestTargets({ allow: ["loopback"] });
const settings = { targets };

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
    expect(await wakeDevice(database.db, device.id, { taskId: task.id, settings })).toMatchObject({ outcome: "woken" });
    expect((await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).wakeOutcome).toBe("woken");
    expect(cpe.requests()).toBe(2);
    cpe.server.close();
  });

  it("reports wrong credentials, an unreachable CPE, and a device without address", async () => {
    const cpe = digestCpe("cr-user", "other");
    const url = await cpe.listen();
    expect((await httpConnectionRequest(url, { username: "cr-user", password: "cr-pass" }, { targets })).outcome).toBe(
      "auth-rejected",
    );
    cpe.server.close();
    expect(
      (await httpConnectionRequest("http://127.0.0.1:1/", { username: null, password: null }, { targets })).outcome,
    ).toBe("unreachable");
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
    expect((await wakeDevice(database.db, device.id, { settings })).outcome).toBe("udp-sent");
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(received).toHaveLength(3);
    expect(new Set(received).size).toBe(1);
    expect(received[0]).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\?ts=\d+&id=\w+&un=u&cn=\w+&sig=[0-9a-f]{40} HTTP\/1\.1\r\n/,
    );
  });

  it("sends HTTP/1.1 with conventional header names, Content-Length: 0 and no body, as hand-written CPE parsers expect", async () => {
    const received: string[] = [];
    const server = net.createServer((socket) => {
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString("latin1");
        if (!text.includes("\r\n\r\n")) return;
        received.push(text);
        socket.end(
          received.length === 1
            ? 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="cpe", qop="auth", nonce="n1", algorithm=MD5\r\nContent-Length: 0\r\n\r\n'
            : "HTTP/1.1 204 No Content\r\n\r\n",
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const result = await httpConnectionRequest(
      `http://127.0.0.1:${port}/cr?k=1`,
      { username: "u", password: "p" },
      { targets },
    );
    server.close();
    expect(result).toEqual({
      outcome: "woken",
      detail:
        'HTTP/1.1 401 Unauthorized, challenged Digest realm="cpe", qop="auth", algorithm="MD5"; answered Digest MD5: HTTP/1.1 204 No Content',
    });
    expect(received[0]).toBe(`GET /cr?k=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`);
    const lines = received[1]!.split("\r\n");
    expect(lines[0]).toBe("GET /cr?k=1 HTTP/1.1");
    expect(lines[1]).toBe(`Host: 127.0.0.1:${port}`);
    expect(lines[2]).toMatch(/^Authorization: Digest username="u", realm="cpe", nonce="n1", uri="\/cr\?k=1"/);
    expect(lines.slice(3)).toEqual(["Content-Length: 0", "", ""]);
  });

  it("refuses loopback, unspecified, link-local and multicast targets by default, and Beacon's own ports on this host", () => {
    const strict = DEFAULT_CONNECTION_REQUEST_TARGETS;
    for (const address of [
      "127.0.0.1",
      "127.8.9.10",
      "::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
      "169.254.169.254",
      "fe80::1",
      "224.0.0.1",
    ]) {
      expect(targetRefusal(strict, address, 7547), address).toMatch(/refused by default/);
    }
    // CPEs live on private and public addresses.
    for (const address of ["10.1.2.3", "192.168.1.1", "172.16.0.9", "100.64.1.1", "fd00::1", "203.0.113.7"]) {
      expect(targetRefusal(strict, address, 7547), address).toBeNull();
    }
    const configured = connectionRequestTargets({ allow: ["loopback"], deny: ["10.9.0.0/16"], ownPorts: [3000, 7547] });
    expect(targetRefusal(configured, "127.0.0.1", 8080)).toBeNull();
    expect(targetRefusal(configured, "127.0.0.1", 3000)).toMatch(/Beacon's own port/);
    expect(targetRefusal(configured, "10.9.4.4", 7547)).toMatch(/BEACON_CONNECTION_REQUEST_DENY/);
    expect(targetRefusal(configured, "10.8.4.4", 7547)).toBeNull();
    expect(() => connectionRequestTargets({ allow: ["localhost"] })).toThrow(
      /BEACON_CONNECTION_REQUEST_ALLOW: "localhost"/,
    );
  });

  it("refuses a loopback ConnectionRequestURL and UDP address by default: nothing is sent, the task says why", async () => {
    const cpe = digestCpe("cr-user", "cr-pass");
    const url = await cpe.listen();
    const socket = dgram.createSocket("udp4");
    const received: string[] = [];
    socket.on("message", (m) => received.push(m.toString()));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const tenant = await ensurePlatformTenant(database.db);
    const device = await database.db.device.create({
      data: {
        tenantId: tenant.id,
        oui: "00D09E",
        serialNumber: "CR4",
        connectionRequestUrl: url,
        udpConnectionRequestAddress: `127.0.0.1:${socket.address().port}`,
        connReqUsername: "cr-user",
        connReqPassword: "cr-pass",
      },
    });
    const task = await createTask(database.db, { deviceId: device.id, kind: "reboot" }, { label: "test" });
    const result = await wakeDevice(database.db, device.id, { taskId: task.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    cpe.server.close();
    expect(result.outcome).toBe("refused");
    expect(cpe.requests()).toBe(0);
    expect(received).toHaveLength(0);
    const stored = await database.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored.wakeOutcome).toBe("refused");
    expect(stored.wakeDetail).toMatch(/^HTTP: 127\.0\.0\.1 is a loopback.*; UDP: 127\.0\.0\.1 is a loopback/);
    // A host name is resolved and its address checked: localhost is loopback too.
    const byName = await httpConnectionRequest(url.replace("127.0.0.1", "localhost"), { username: "u", password: "p" });
    expect(byName).toMatchObject({ outcome: "refused", detail: expect.stringMatching(/^localhost resolves to /) });
  });

  it("refuses to answer a Basic-only challenge over plain HTTP unless Basic is allowed", async () => {
    let authorizations: (string | undefined)[] = [];
    const server = http.createServer((request, response) => {
      authorizations.push(request.headers.authorization);
      const ok = request.headers.authorization === `Basic ${Buffer.from("u:p").toString("base64")}`;
      response.writeHead(ok ? 200 : 401, ok ? {} : { "www-authenticate": 'Basic realm="cpe"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const refused = await httpConnectionRequest(url, { username: "u", password: "p" }, { targets });
    expect(refused).toMatchObject({ outcome: "refused", detail: expect.stringMatching(/only Basic over plain HTTP/) });
    expect(authorizations).toEqual([undefined]);
    authorizations = [];
    const allowed = await httpConnectionRequest(url, { username: "u", password: "p" }, { targets, allowBasic: true });
    server.close();
    expect(allowed.outcome).toBe("woken");
    expect(authorizations).toEqual([undefined, `Basic ${Buffer.from("u:p").toString("base64")}`]);
  });
});

import dgram from "node:dgram";
import http from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ConnectionRequestListener,
  createSimulatedDevice,
  type SimulatedDevice,
  startConnectionRequestListener,
  udpConnectionRequestMessage,
} from "../src/index.ts";
import { answerChallenge } from "./support/digest.ts";
import { startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

let acs: TinyAcs;
let listener: ConnectionRequestListener;
let device: SimulatedDevice;

beforeEach(async () => {
  acs = await startTinyAcs();
  listener = await startConnectionRequestListener({ digestAlgorithms: ["SHA-256", "MD5"] });
  device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    serialNumber: "CR000001",
    acsUrl: acs.url,
    bootstrapped: true,
    connectionRequestUsername: "cr-user",
    connectionRequestPassword: "cr-pass",
  });
  listener.register(device);
  await device.inform();
});

afterEach(async () => {
  await device.close();
  await listener.close();
  await acs.close();
});

function get(url: string, authorization?: string): Promise<{ status: number; challenges: string[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: authorization ? { authorization } : {} }, (res) => {
        res.resume();
        const raw = res.rawHeaders;
        const challenges = raw.filter((_, k) => k % 2 === 1 && raw[k - 1]?.toLowerCase() === "www-authenticate");
        res.on("end", () => resolve({ status: res.statusCode ?? 0, challenges }));
      })
      .on("error", reject);
  });
}

function sendUdp(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    socket.send(text, port, "127.0.0.1", (e) => {
      socket.close();
      if (e) reject(e);
      else resolve();
    });
  });
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("HTTP connection requests", () => {
  it("challenges with Digest, accepts the right answer with 200 and opens a session with 6 CONNECTION REQUEST", async () => {
    const url = listener.urlFor("CR000001");
    expect(device.get("InternetGatewayDevice.ManagementServer.ConnectionRequestURL")).toBe(url);

    const first = await get(url);
    expect(first.status).toBe(401);
    expect(first.challenges).toHaveLength(2);
    expect(first.challenges[0]).toContain("algorithm=SHA-256");

    const session = device.waitForSession();
    const path = new URL(url).pathname;
    const answered = await get(url, answerChallenge(first.challenges[1] ?? "", "cr-user", "cr-pass", "GET", path));
    expect(answered.status).toBe(200);
    const t = await session;
    expect(t.events.map((e) => e.eventCode)).toEqual(["6 CONNECTION REQUEST"]);
    expect(acs.sessionsOf("CR000001")[1]?.inform?.parameterList).toContainEqual({
      name: "InternetGatewayDevice.ManagementServer.ConnectionRequestURL",
      value: url,
      type: "xsd:string",
    });
  });

  it("refuses a wrong password and unknown devices", async () => {
    const url = listener.urlFor("CR000001");
    const first = await get(url);
    const wrong = await get(
      url,
      answerChallenge(first.challenges[0] ?? "", "cr-user", "nope", "GET", new URL(url).pathname),
    );
    expect(wrong.status).toBe(401);
    expect((await get(listener.urlFor("NOBODY"))).status).toBe(404);
    expect(listener.stats.httpAccepted).toBe(0);
    expect(device.sessions).toBe(1);
  });

  it("checks the credentials the ACS set last", async () => {
    acs.queue("CR000001", {
      type: "SetParameterValues",
      parameterKey: "",
      parameterList: [{ name: "InternetGatewayDevice.ManagementServer.ConnectionRequestPassword", value: "rotated" }],
    });
    await device.inform();
    const url = listener.urlFor("CR000001");
    const path = new URL(url).pathname;
    const first = await get(url);
    expect((await get(url, answerChallenge(first.challenges[0] ?? "", "cr-user", "cr-pass", "GET", path))).status).toBe(
      401,
    );
    const session = device.waitForSession();
    expect((await get(url, answerChallenge(first.challenges[0] ?? "", "cr-user", "rotated", "GET", path))).status).toBe(
      200,
    );
    await session;
  });
});

describe("UDP connection requests (TR-069 Annex G)", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("reports its UDPConnectionRequestAddress and opens a session for a correctly signed message", async () => {
    const address = listener.udpAddress ?? "";
    expect(device.get("InternetGatewayDevice.ManagementServer.UDPConnectionRequestAddress")).toBe(address);
    const session = device.waitForSession();
    await sendUdp(
      listener.udpPort ?? 0,
      udpConnectionRequestMessage(address, { ts: now(), id: "1", un: "cr-user", cn: "abc123" }, "cr-pass"),
    );
    const t = await session;
    expect(t.events.map((e) => e.eventCode)).toEqual(["6 CONNECTION REQUEST"]);
    expect(listener.stats.udpAccepted).toBe(1);
  });

  it("ignores a repeated id, a stale ts and a bad signature", async () => {
    const address = listener.udpAddress ?? "";
    const port = listener.udpPort ?? 0;
    const session = device.waitForSession();
    const message = udpConnectionRequestMessage(address, { ts: now(), id: "77", un: "cr-user", cn: "c1" }, "cr-pass");
    await sendUdp(port, message);
    await session;
    await sendUdp(port, message);
    await sendUdp(
      port,
      udpConnectionRequestMessage(address, { ts: now() - 3600, id: "78", un: "cr-user", cn: "c2" }, "cr-pass"),
    );
    await sendUdp(
      port,
      udpConnectionRequestMessage(address, { ts: now(), id: "79", un: "cr-user", cn: "c3" }, "wrong"),
    );
    await until(() => listener.stats.udpIgnored === 3);
    expect(listener.stats.udpAccepted).toBe(1);
    await device.idle();
    expect(device.sessions).toBe(2);
  });
});

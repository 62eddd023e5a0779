import http from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ConnectionRequestListener,
  createSimulatedDevice,
  type SimulatedDevice,
  startConnectionRequestListener,
} from "../src/index.ts";
import { answerChallenge } from "./support/digest.ts";
import { startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

const MS = "InternetGatewayDevice.ManagementServer";

let acs: TinyAcs;
const devices: SimulatedDevice[] = [];
const listeners: ConnectionRequestListener[] = [];

beforeEach(async () => {
  acs = await startTinyAcs();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all(listeners.splice(0).map((l) => l.close()));
  await acs.close();
});

function device(quirks: NonNullable<Parameters<typeof createSimulatedDevice>[0]["quirks"]>): SimulatedDevice {
  const created = createSimulatedDevice({
    model: "beacon-onu-tr098",
    serialNumber: `Q${devices.length}`,
    acsUrl: acs.url,
    bootstrapped: true,
    connectionRequestUsername: "cr-user",
    connectionRequestPassword: "cr-pass",
    quirks,
  });
  devices.push(created);
  return created;
}

/** A GET with the header names exactly as given. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; challenge: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, challenge: String(res.headers["www-authenticate"] ?? "") }),
        );
      })
      .on("error", reject);
  });
}

describe("CPE stack quirks", () => {
  it("exact header parsing (an OpenWrt agent in C): only `Authorization: Digest ` counts, not `authorization:`", async () => {
    const listener = await startConnectionRequestListener({ udpPort: false, headerParsing: "exact" });
    listeners.push(listener);
    const cpe = device({});
    listener.register(cpe);
    const url = listener.urlFor(cpe.serialNumber);
    const path = new URL(url).pathname;
    const first = await get(url);
    expect(first.status).toBe(401);
    const lower = await get(url, {
      authorization: answerChallenge(first.challenge, "cr-user", "cr-pass", "GET", path),
    });
    expect(lower.status).toBe(401);
    const second = await get(url);
    const exact = await get(url, {
      Authorization: answerChallenge(second.challenge, "cr-user", "cr-pass", "GET", path),
    });
    expect(exact.status).toBe(200);
  });

  it("credentials after restart: SetParameterValues of the credentials answers Status 1 and they apply at the restart", async () => {
    const cpe = device({ credentialsAfterRestart: true });
    acs.queue(cpe.serialNumber, {
      type: "SetParameterValues",
      parameterKey: "",
      parameterList: [
        { name: `${MS}.Username`, value: "new-user", type: "xsd:string" },
        { name: `${MS}.PeriodicInformInterval`, value: "600", type: "xsd:unsignedInt" },
      ],
    });
    await cpe.inform();
    expect(acs.sessionsOf(cpe.serialNumber)[0]?.received).toContainEqual({
      type: "SetParameterValuesResponse",
      status: 1,
    });
    expect(cpe.get(`${MS}.Username`)).not.toBe("new-user");
    expect(cpe.get(`${MS}.PeriodicInformInterval`)).toBe("600");
    cpe.restart();
    expect(cpe.get(`${MS}.Username`)).toBe("new-user");
    expect(cpe.queuedEvents.map((e) => e.eventCode)).toContain("1 BOOT");
  });

  it("unsupported RPCs: Reboot answered with fault 9000 and left out of GetRPCMethods", async () => {
    const cpe = device({ unsupportedRpcs: ["Reboot"] });
    acs.queue(cpe.serialNumber, { type: "Reboot", commandKey: "k" }, { type: "GetRPCMethods" });
    const session = await cpe.inform();
    expect(session.faults.map((f) => f.faultCode)).toEqual([9000]);
    const received = acs.sessionsOf(cpe.serialNumber)[0]?.received ?? [];
    const methods = received.find((m) => m.type === "GetRPCMethodsResponse");
    expect(methods?.type === "GetRPCMethodsResponse" && methods.methodList).toEqual(
      expect.not.arrayContaining(["Reboot"]),
    );
    expect(methods?.type === "GetRPCMethodsResponse" && methods.methodList).toContain("Download");
  });
});

import { listDevices } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { rawRequest, TestCpe } from "./helpers/test-cpe.ts";

describe("Inform", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ admission: "open" });
  });
  afterAll(() => fixture.close());

  it("answers GET /healthz with ok and nothing more (no server version, no address)", async () => {
    const result = await rawRequest(ingress.url, { method: "GET", path: "/healthz" });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: "ok" });
  });

  it("answers an Inform with an InformResponse that echoes cwmp:ID and the namespace, and registers the device", async () => {
    const cpe = new TestCpe(ingress.url, { namespace: "urn:dslforum-org:cwmp-1-0" });
    const result = await cpe.inform(["0 BOOTSTRAP", "1 BOOT"]);
    if (result.status !== 200) console.log(result.body);
    expect(result.status).toBe(200);
    expect(result.message).toEqual({ type: "InformResponse" });
    expect(result.id).toBe("cpe-1");
    expect(result.body).toContain('xmlns:cwmp="urn:dslforum-org:cwmp-1-0"');
    expect(result.body).toMatch(/<MaxEnvelopes>1<\/MaxEnvelopes>/);
    expect(result.headers["set-cookie"]?.[0]).toMatch(/^beacon_session=[0-9a-f-]{36}; Path=\//);

    const end = await cpe.send({ type: "Empty" });
    expect(end.status).toBe(204);
    cpe.close();

    const device = await fixture.db.device.findUniqueOrThrow({
      where: {
        oui_productClass_serialNumber: { oui: cpe.oui, productClass: cpe.productClass, serialNumber: cpe.serialNumber },
      },
      include: { events: true, parameters: true, tenant: true },
    });
    expect(device).toMatchObject({
      manufacturer: "Beacon Test",
      softwareVersion: "1.2.3",
      hardwareVersion: "HW1",
      dataModelRoot: "InternetGatewayDevice",
      connectionRequestUrl: "http://127.0.0.1:1/cr",
      externalIp: "127.0.0.1",
    });
    expect(device.tenant.kind).toBe("platform");
    expect(device.lastInformAt).toBeInstanceOf(Date);
    expect(device.lastBootAt).toBeInstanceOf(Date);
    expect(device.events.map((e) => e.code).sort()).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
    expect(device.parameters.find((p) => p.name.endsWith("SoftwareVersion"))?.value).toBe("1.2.3");

    const listed = await listDevices(fixture.db);
    expect(listed.map((d) => d.serialNumber)).toContain(cpe.serialNumber);
  });

  it("records every event code and forgets stored parameters on 0 BOOTSTRAP", async () => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform(["1 BOOT", "M Reboot"]);
    await cpe.send({ type: "Empty" });
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    await fixture.db.deviceParameter.create({
      data: { deviceId: device.id, name: "InternetGatewayDevice.Old.Value", value: "x" },
    });

    await cpe.inform(["0 BOOTSTRAP", "4 VALUE CHANGE", "14 HEARTBEAT"]);
    await cpe.send({ type: "Empty" });
    const events = await fixture.db.deviceEvent.findMany({ where: { deviceId: device.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.code)).toEqual(["1 BOOT", "M Reboot", "0 BOOTSTRAP", "4 VALUE CHANGE", "14 HEARTBEAT"]);
    const names = (await fixture.db.deviceParameter.findMany({ where: { deviceId: device.id } })).map((p) => p.name);
    expect(names).not.toContain("InternetGatewayDevice.Old.Value");
    expect(names).toContain("InternetGatewayDevice.DeviceInfo.SoftwareVersion");
    cpe.close();
  });

  it("rewrites only the Inform values that changed since the last Inform", async () => {
    const cpe = new TestCpe(ingress.url);
    const uptime = (value: string) => [
      { name: "InternetGatewayDevice.DeviceInfo.UpTime", value, type: "xsd:unsignedInt" },
    ];
    await cpe.inform(["1 BOOT"], uptime("10"));
    await cpe.send({ type: "Empty" });
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    const versions = async () =>
      new Map(
        (
          await fixture.db.$queryRaw<{ name: string; version: string; value: string }[]>`
            SELECT "name", xmin::text AS "version", "value" FROM "DeviceParameter" WHERE "deviceId" = ${device.id}::uuid`
        ).map((row) => [row.name, row]),
      );
    const before = await versions();

    await cpe.inform(["2 PERIODIC"], uptime("910"));
    await cpe.send({ type: "Empty" });
    const after = await versions();

    const software = "InternetGatewayDevice.DeviceInfo.SoftwareVersion";
    expect(after.get(software)?.version).toBe(before.get(software)?.version);
    expect(after.get("InternetGatewayDevice.DeviceInfo.UpTime")).toMatchObject({ value: "910" });
    expect(after.get("InternetGatewayDevice.DeviceInfo.UpTime")?.version).not.toBe(
      before.get("InternetGatewayDevice.DeviceInfo.UpTime")?.version,
    );
    cpe.close();
  });

  it("answers an Inform without SOAP header with an InformResponse without header", async () => {
    const cpe = new TestCpe(ingress.url);
    const xml = (await import("@beacon/cwmp")).encodeCpe(cpe.informMessage(["2 PERIODIC"]), {
      namespace: cpe.namespace,
    });
    const result = await cpe.post(xml);
    expect(result.status).toBe(200);
    expect(result.body).not.toContain("cwmp:ID");
    expect(result.body).toContain("InformResponse");
    cpe.close();
  });
});

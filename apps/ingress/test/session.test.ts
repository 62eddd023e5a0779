import type { GetParameterValues, SetParameterValues } from "@beacon/cwmp";
import { createTask } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { TestCpe } from "./helpers/test-cpe.ts";

const actor = { label: "test" };

describe("CWMP session", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ admission: "open" });
  });
  afterAll(() => fixture.close());

  async function deviceIdOf(cpe: TestCpe): Promise<string> {
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    return device.id;
  }

  it("drains the device's tasks in order after the empty POST, one request at a time, and ends with 204", async () => {
    const cpe = new TestCpe(ingress.url);
    expect((await cpe.inform()).status).toBe(200);
    const deviceId = await deviceIdOf(cpe);
    const gpv = await createTask(
      fixture.db,
      { deviceId, kind: "getParameterValues", args: { names: ["InternetGatewayDevice.DeviceInfo.UpTime"] } },
      actor,
    );
    const spv = await createTask(
      fixture.db,
      {
        deviceId,
        kind: "setParameterValues",
        args: { values: [{ name: "InternetGatewayDevice.DeviceInfo.ProvisioningCode", value: "ABC" }] },
      },
      actor,
    );
    const reboot = await createTask(fixture.db, { deviceId, kind: "reboot" }, actor);

    const first = await cpe.send({ type: "Empty" });
    expect(first.message).toEqual({
      type: "GetParameterValues",
      parameterNames: ["InternetGatewayDevice.DeviceInfo.UpTime"],
    } satisfies GetParameterValues);
    expect(first.id).toBeTruthy();
    const second = await cpe.answer(first, {
      type: "GetParameterValuesResponse",
      parameterList: [{ name: "InternetGatewayDevice.DeviceInfo.UpTime", value: "42", type: "xsd:unsignedInt" }],
    });
    expect(second.message?.type).toBe("SetParameterValues");
    expect((second.message as SetParameterValues).parameterList[0]).toMatchObject({
      name: "InternetGatewayDevice.DeviceInfo.ProvisioningCode",
      value: "ABC",
    });
    const third = await cpe.answer(second, { type: "SetParameterValuesResponse", status: 0 });
    expect(third.message).toMatchObject({ type: "Reboot" });
    const end = await cpe.answer(third, { type: "RebootResponse" });
    expect(end.status).toBe(204);
    cpe.close();

    const tasks = await fixture.db.task.findMany({ where: { id: { in: [gpv.id, spv.id, reboot.id] } } });
    // The reboot is done when the device is back (its M Reboot Inform), not on RebootResponse.
    expect(Object.fromEntries(tasks.map((t) => [t.id, t.state]))).toEqual({
      [gpv.id]: "done",
      [spv.id]: "done",
      [reboot.id]: "running",
    });
    expect(tasks.find((t) => t.id === gpv.id)?.result).toEqual({
      values: [{ name: "InternetGatewayDevice.DeviceInfo.UpTime", value: "42", type: "xsd:unsignedInt" }],
    });
    const params = await fixture.db.deviceParameter.findMany({ where: { deviceId } });
    expect(params.find((p) => p.name === "InternetGatewayDevice.DeviceInfo.UpTime")).toMatchObject({
      value: "42",
      type: "xsd:unsignedInt",
    });
    expect(params.find((p) => p.name === "InternetGatewayDevice.DeviceInfo.ProvisioningCode")?.value).toBe("ABC");
    const session = await fixture.db.cwmpSession.findFirstOrThrow({
      where: { deviceId },
      orderBy: { createdAt: "desc" },
    });
    expect(session.ended).toBe(true);
  });

  it("records a CPE fault on its task and goes on with the next task", async () => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const deviceId = await deviceIdOf(cpe);
    const bad = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: "X.Y", value: "1" }] } },
      actor,
    );
    const good = await createTask(fixture.db, { deviceId, kind: "getRPCMethods" }, actor);
    const first = await cpe.send({ type: "Empty" });
    expect(first.message?.type).toBe("SetParameterValues");
    const second = await cpe.answer(first, {
      type: "Fault",
      faultCode: 9003,
      faultString: "Invalid arguments",
      setParameterValuesFault: [{ parameterName: "X.Y", faultCode: 9005, faultString: "Invalid parameter name" }],
    });
    expect(second.message?.type).toBe("GetRPCMethods");
    const end = await cpe.answer(second, { type: "GetRPCMethodsResponse", methodList: ["GetParameterValues"] });
    expect(end.status).toBe(204);
    cpe.close();
    const faulted = await fixture.db.task.findUniqueOrThrow({ where: { id: bad.id } });
    expect(faulted).toMatchObject({ state: "fault", faultCode: 9003 });
    expect(faulted.faultString).toContain("X.Y: Invalid parameter name (9005)");
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: good.id } })).state).toBe("done");
  });

  it("answers the CPE's own requests before the empty POST (GetRPCMethods, TransferComplete)", async () => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform(["7 TRANSFER COMPLETE", "M Download"]);
    const methods = await cpe.send({ type: "GetRPCMethods" });
    expect(methods.message?.type).toBe("GetRPCMethodsResponse");
    expect(methods.id).toBe("cpe-2");
    const tc = await cpe.send({
      type: "TransferComplete",
      commandKey: "unknown",
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "2026-01-01T00:00:00Z",
      completeTime: "2026-01-01T00:01:00Z",
    });
    expect(tc.message).toEqual({ type: "TransferCompleteResponse" });
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    cpe.close();
  });

  it("starts a new session when an Inform carries the cookie of the device's unfinished session", async () => {
    const cpe = new TestCpe(ingress.url);
    const first = await cpe.inform();
    const firstCookie = first.headers["set-cookie"]?.[0];
    const second = await cpe.inform(["2 PERIODIC"]);
    expect(second.status).toBe(200);
    expect(second.headers["set-cookie"]?.[0]).not.toBe(firstCookie);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const sessions = await fixture.db.cwmpSession.findMany({ where: { deviceId: await deviceIdOf(cpe) } });
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.ended)).toBe(true);
    cpe.close();
  });

  it("answers 503 with Retry-After to a second Inform of a device whose session is live", async () => {
    const cpe = new TestCpe(ingress.url);
    expect((await cpe.inform()).status).toBe(200);
    const twin = new TestCpe(ingress.url, { serialNumber: cpe.serialNumber });
    const busy = await twin.inform();
    expect(busy.status).toBe(503);
    expect(Number(busy.headers["retry-after"])).toBeGreaterThan(0);
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    expect((await twin.inform()).status).toBe(200);
    cpe.close();
    twin.close();
  });

  it("opens one session only when Informs of one device arrive at the same time", async () => {
    const cpes = Array.from(
      { length: 6 },
      (_, k) => new TestCpe(ingress.url, { serialNumber: "RACE-1", manufacturer: `m${k}` }),
    );
    const results = await Promise.all(cpes.map((cpe) => cpe.inform()));
    expect(results.map((r) => r.status).sort()).toEqual([200, 503, 503, 503, 503, 503]);
    const live = await fixture.db.cwmpSession.count({ where: { device: { serialNumber: "RACE-1" }, live: true } });
    expect(live).toBe(1);
    for (const cpe of cpes) cpe.close();
  });

  it("serves one session across two ingress instances on one database, alternating requests", async () => {
    const other = await fixture.start({ admission: "open" });
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const deviceId = await deviceIdOf(cpe);
    await createTask(fixture.db, { deviceId, kind: "getParameterValues", args: { names: ["A.B"] } }, actor);
    await createTask(fixture.db, { deviceId, kind: "getParameterValues", args: { names: ["A.C"] } }, actor);
    cpe.baseUrl = other.url;
    const first = await cpe.send({ type: "Empty" });
    expect(first.message).toMatchObject({ type: "GetParameterValues", parameterNames: ["A.B"] });
    cpe.baseUrl = ingress.url;
    const second = await cpe.answer(first, {
      type: "GetParameterValuesResponse",
      parameterList: [{ name: "A.B", value: "1" }],
    });
    expect(second.message).toMatchObject({ type: "GetParameterValues", parameterNames: ["A.C"] });
    cpe.baseUrl = other.url;
    const end = await cpe.answer(second, {
      type: "GetParameterValuesResponse",
      parameterList: [{ name: "A.C", value: "2" }],
    });
    expect(end.status).toBe(204);
    const values = await fixture.db.deviceParameter.findMany({
      where: { deviceId, name: { in: ["A.B", "A.C"] } },
      orderBy: { name: "asc" },
    });
    expect(values.map((v) => v.value)).toEqual(["1", "2"]);
    cpe.close();
  });

  it("puts the task of a session cut off mid-request back in the queue at the device's next session", async () => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const deviceId = await deviceIdOf(cpe);
    const task = await createTask(
      fixture.db,
      { deviceId, kind: "getParameterValues", args: { names: ["A.D"] } },
      actor,
    );
    const request = await cpe.send({ type: "Empty" });
    expect(request.message?.type).toBe("GetParameterValues");
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("running");
    cpe.close();

    const again = new TestCpe(ingress.url, { serialNumber: cpe.serialNumber });
    // The old session is still live: the device is busy until it times out or comes back with its cookie.
    for (const [name, value] of cpe.cookieJar()) again.cookieJar().set(name, value);
    expect((await again.inform(["2 PERIODIC"])).status).toBe(200);
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("pending");
    const retried = await again.send({ type: "Empty" });
    expect(retried.message).toMatchObject({ type: "GetParameterValues", parameterNames: ["A.D"] });
    const end = await again.answer(retried, {
      type: "GetParameterValuesResponse",
      parameterList: [{ name: "A.D", value: "x" }],
    });
    expect(end.status).toBe(204);
    expect(await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      state: "done",
      attempts: 2,
    });
    again.close();
  });

  it("refreshes a subtree with GetParameterNames then GetParameterValues, forgetting parameters that are gone", async () => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const deviceId = await deviceIdOf(cpe);
    await fixture.db.deviceParameter.create({
      data: { deviceId, name: "InternetGatewayDevice.LANDevice.9.Gone", value: "x" },
    });
    const task = await createTask(
      fixture.db,
      { deviceId, kind: "refresh", args: { path: "InternetGatewayDevice.LANDevice." } },
      actor,
    );
    const gpn = await cpe.send({ type: "Empty" });
    expect(gpn.message).toEqual({
      type: "GetParameterNames",
      parameterPath: "InternetGatewayDevice.LANDevice.",
      nextLevel: false,
    });
    const gpv = await cpe.answer(gpn, {
      type: "GetParameterNamesResponse",
      parameterList: [
        { name: "InternetGatewayDevice.LANDevice.", writable: false },
        { name: "InternetGatewayDevice.LANDevice.1.", writable: false },
        { name: "InternetGatewayDevice.LANDevice.1.Name", writable: true },
      ],
    });
    expect(gpv.message).toEqual({ type: "GetParameterValues", parameterNames: ["InternetGatewayDevice.LANDevice."] });
    const end = await cpe.answer(gpv, {
      type: "GetParameterValuesResponse",
      parameterList: [{ name: "InternetGatewayDevice.LANDevice.1.Name", value: "lan", type: "xsd:string" }],
    });
    expect(end.status).toBe(204);
    const params = await fixture.db.deviceParameter.findMany({
      where: { deviceId, name: { startsWith: "InternetGatewayDevice.LANDevice." } },
      orderBy: { name: "asc" },
    });
    expect(params.map((p) => [p.name, p.value, p.writable, p.isObject])).toEqual([
      ["InternetGatewayDevice.LANDevice.", null, false, true],
      ["InternetGatewayDevice.LANDevice.1.", null, false, true],
      ["InternetGatewayDevice.LANDevice.1.Name", "lan", true, false],
    ]);
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).result).toEqual({ count: 1 });
    cpe.close();
  });

  it("ends a session idle past its timeout, freeing the device", async () => {
    const quick = await fixture.start({ admission: "open", sessionTimeoutSeconds: 1 });
    const cpe = new TestCpe(quick.url);
    await cpe.inform();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // The expired session is gone: an empty POST has nothing to continue, and the twin is not refused.
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const twin = new TestCpe(quick.url, { serialNumber: cpe.serialNumber });
    expect((await twin.inform()).status).toBe(200);
    cpe.close();
    twin.close();
  });
});

import { createDb } from "@beacon/db";
import { ensurePlatformTenant, openSession, continueSession } from "@beacon/domain";
const db = createDb(process.env.DATABASE_URL!, { maxConnections: 5 });
const tenant = await ensurePlatformTenant(db);
const t = async (label: string, f: () => Promise<unknown>) => { const s = performance.now(); await f(); console.log(label, (performance.now() - s).toFixed(1), "ms"); };
await t("select1", () => db.$queryRaw`SELECT 1`);
await t("select1", () => db.$queryRaw`SELECT 1`);
await t("tx-empty", () => db.$transaction(async (tx) => { await tx.$queryRaw`SELECT 1`; }));
await t("tx-empty", () => db.$transaction(async (tx) => { await tx.$queryRaw`SELECT 1`; }));
for (let k = 0; k < 3; k++) {
  const inform = { type: "Inform" as const, deviceId: { manufacturer: "B", oui: "00D09E", productClass: "Prof", serialNumber: `P${k}` }, event: [{ eventCode: "2 PERIODIC", commandKey: "" }], maxEnvelopes: 1, currentTime: "", retryCount: 0, parameterList: [{ name: "InternetGatewayDevice.DeviceInfo.SoftwareVersion", value: "1" }] };
  let opened: any;
  await t("open", async () => { opened = await openSession(db, { inform, namespace: "urn:dslforum-org:cwmp-1-0", principal: { kind: "anonymous" }, cookieSessionId: null, tenantIdForNewDevices: tenant.id, now: new Date() }, { timeoutSeconds: 30, admission: { policy: "open", allowlist: [] } }); });
  await t("continue", () => continueSession(db, opened.session, { message: { type: "Empty" }, now: new Date(), fileServerUrl: "" }, { timeoutSeconds: 30 }));
}
await db.$disconnect();

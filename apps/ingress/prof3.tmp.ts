import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../packages/db/src/generated/client.ts";
import { ensurePlatformTenant, openSession, continueSession } from "@beacon/domain";
const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 2 });
const db = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
let log = false;
db.$on("query", (e) => { if (log) console.log(`${e.duration}ms`, e.query.replace(/\s+/g, " ").slice(0, 140)); });
const tenant = await ensurePlatformTenant(db as never);
for (let k = 0; k < 2; k++) {
  log = k === 1;
  const inform = { type: "Inform" as const, deviceId: { manufacturer: "B", oui: "00D09E", productClass: "Prof", serialNumber: `Q${k}` }, event: [{ eventCode: "2 PERIODIC", commandKey: "" }], maxEnvelopes: 1, currentTime: "", retryCount: 0, parameterList: [{ name: "InternetGatewayDevice.DeviceInfo.SoftwareVersion", value: "1" }] };
  console.log("--- open");
  const opened: any = await openSession(db as never, { inform, namespace: "urn:dslforum-org:cwmp-1-0", principal: { kind: "anonymous" }, cookieSessionId: null, tenantIdForNewDevices: tenant.id, now: new Date() }, { timeoutSeconds: 30, admission: { policy: "open", allowlist: [] } });
  console.log("--- continue");
  await continueSession(db as never, opened.session, { message: { type: "Empty" }, now: new Date(), fileServerUrl: "" }, { timeoutSeconds: 30 });
}
await db.$disconnect();

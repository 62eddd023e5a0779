import http from "node:http";
import { encodeCpe } from "@beacon/cwmp";
const base = process.argv[2]!;
const total = Number(process.argv[3] ?? 2000);
const concurrency = Number(process.argv[4] ?? 50);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
function post(body: string, cookie?: string): Promise<{ status: number; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base, { method: "POST", agent, headers: { "content-type": "text/xml", ...(cookie ? { cookie } : {}) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, cookie: res.headers["set-cookie"]?.[0]?.split(";")[0] }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
function inform(serial: string) {
  const params = Array.from({ length: 12 }, (_, k) => ({ name: `InternetGatewayDevice.X.P${k}`, value: `v${k}`, type: "xsd:string" }));
  return encodeCpe({ type: "Inform", deviceId: { manufacturer: "B", oui: "00D09E", productClass: "Bench", serialNumber: serial }, event: [{ eventCode: "2 PERIODIC", commandKey: "" }], maxEnvelopes: 1, currentTime: new Date().toISOString(), retryCount: 0, parameterList: [
    { name: "InternetGatewayDevice.DeviceInfo.SoftwareVersion", value: "1", type: "xsd:string" },
    { name: "InternetGatewayDevice.ManagementServer.ConnectionRequestURL", value: "http://10.0.0.1:7547/", type: "xsd:string" }, ...params] }, { namespace: "urn:dslforum-org:cwmp-1-0", id: "1" });
}
let next = 0, ok = 0, bad = 0;
const started = performance.now();
async function worker() {
  while (next < total) {
    const n = next++;
    const r = await post(inform(`S${n % 5000}`));
    if (r.status !== 200) { bad++; continue; }
    const e = await post("", r.cookie);
    if (e.status === 204) ok++; else bad++;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const s = (performance.now() - started) / 1000;
console.log(`${ok} sessions ok, ${bad} bad, ${s.toFixed(2)}s, ${(ok / s).toFixed(0)} informs/s`);
agent.destroy();

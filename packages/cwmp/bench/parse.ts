/**
 * How long `decode` takes on the two messages an ACS reads most: a boot Inform and a 1,000-parameter
 * GetParameterValuesResponse. Reports the median and the 95th percentile per message over many rounds; it asserts
 * nothing. Run: `npx tsx packages/cwmp/bench/parse.ts` (add `--json` for one line of JSON).
 */
import { performance } from "node:perf_hooks";
import { type CpeMessage, decode, encodeCpe, type ParameterValueStruct } from "../src/index.ts";

const NAMESPACE = "urn:dslforum-org:cwmp-1-2";
const IGD = "InternetGatewayDevice";

function inform(): CpeMessage {
  const parameter = (name: string, value: string, type = "xsd:string"): ParameterValueStruct => ({
    name: `${IGD}.${name}`,
    value,
    type,
  });
  return {
    type: "Inform",
    deviceId: {
      manufacturer: "Huawei Technologies Co., Ltd",
      oui: "00259E",
      productClass: "EG8145V5",
      serialNumber: "4857544366A0B2C1",
    },
    event: [
      { eventCode: "0 BOOTSTRAP", commandKey: "" },
      { eventCode: "1 BOOT", commandKey: "" },
    ],
    maxEnvelopes: 1,
    currentTime: "2026-12-04T13:30:00+01:00",
    retryCount: 0,
    parameterList: [
      parameter("DeviceSummary", "InternetGatewayDevice:1.4[](Baseline:2, EthernetLAN:1, WiFiLAN:2, Time:1)"),
      parameter("DeviceInfo.HardwareVersion", "15AD.A"),
      parameter("DeviceInfo.SoftwareVersion", "V5R020C10S115"),
      parameter("DeviceInfo.ProvisioningCode", ""),
      parameter("DeviceInfo.SpecVersion", "1.0"),
      parameter("ManagementServer.ConnectionRequestURL", "http://100.64.12.34:7547/c0a8f3e1"),
      parameter("ManagementServer.ParameterKey", ""),
      parameter("WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress", "100.64.12.34"),
      parameter("LANDevice.1.WLANConfiguration.1.SSID", "Hotel-101"),
      parameter("ManagementServer.PeriodicInformInterval", "3600", "xsd:unsignedInt"),
    ],
  };
}

function getParameterValuesResponse(count: number): CpeMessage {
  const types = ["xsd:string", "xsd:unsignedInt", "xsd:boolean", "xsd:dateTime", "xsd:int"];
  const values = ["Guest & staff <2.4 GHz>", "4294967295", "true", "2026-12-04T13:30:00Z", "-42"];
  return {
    type: "GetParameterValuesResponse",
    parameterList: Array.from({ length: count }, (_, k) => ({
      name: `${IGD}.LANDevice.1.WLANConfiguration.${(k % 8) + 1}.AssociatedDevice.${k + 1}.Stats.Value${k % 5}`,
      value: values[k % 5]!,
      type: types[k % 5]!,
    })),
  };
}

function measure(label: string, body: string, rounds: number) {
  const bytes = new TextEncoder().encode(body);
  for (let k = 0; k < Math.min(rounds, 200); k++) decode(bytes);
  const times: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const start = performance.now();
    const result = decode(bytes);
    times.push(performance.now() - start);
    if (!result.ok) throw new Error(`${label}: ${result.error.message}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { message: label, bytes: bytes.length, rounds, medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

const header = { namespace: NAMESPACE, id: "1" };
const results = [
  measure("Inform (boot, 10 parameters)", encodeCpe(inform(), header), 5_000),
  measure("GetParameterValuesResponse (1,000 parameters)", encodeCpe(getParameterValuesResponse(1_000), header), 300),
];
if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(results)}\n`);
else
  for (const r of results)
    process.stdout.write(
      `${r.message}: ${r.bytes} bytes, median ${r.medianMs} ms, p95 ${r.p95Ms} ms (${r.rounds} rounds)\n`,
    );

/**
 * Beacon's monitoring vocabulary: what can be measured on a device, in one unit each whatever the vendor
 * reports. Mapping files (packages/domain/monitoring-mappings) say where each metric lives and in which unit.
 */
export const METRICS = {
  "optical.rxPower": { unit: "dBm", quantity: "opticalPower", description: "received optical power" },
  "optical.txPower": { unit: "dBm", quantity: "opticalPower", description: "transmitted optical power" },
  "optical.temperature": { unit: "°C", quantity: "temperature", description: "optical transceiver temperature" },
  "optical.supplyVoltage": { unit: "V", quantity: "voltage", description: "optical transceiver supply voltage" },
  "optical.biasCurrent": { unit: "mA", quantity: "current", description: "laser bias current" },
  "device.temperature": { unit: "°C", quantity: "temperature", description: "device temperature" },
  "device.cpuUsage": { unit: "%", quantity: "percent", description: "CPU usage" },
  "device.memoryFree": { unit: "KiB", quantity: "size", description: "free memory" },
  "device.uptime": { unit: "s", quantity: "duration", description: "time since the device last started" },
  "wifi.clients": { unit: "clients", quantity: "count", description: "WiFi clients associated" },
} as const;

export type MetricName = keyof typeof METRICS;
export type Quantity = (typeof METRICS)[MetricName]["quantity"];

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

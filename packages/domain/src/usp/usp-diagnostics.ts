import type { DiagnosticKind } from "@beacon/db";

/**
 * TR-181 diagnostics are USP commands (Operate, asynchronous): the command's input arguments carry the same
 * names as the CWMP diagnostics object's parameters, and the OperationComplete's output arguments the same as
 * its results, with "Status" in place of "DiagnosticsState". So the CWMP result parsers read USP results too.
 */
export const USP_DIAGNOSTIC_COMMANDS: Record<DiagnosticKind, string> = {
  ping: "Device.IP.Diagnostics.IPPing()",
  traceroute: "Device.IP.Diagnostics.TraceRoute()",
  download: "Device.IP.Diagnostics.DownloadDiagnostics()",
  upload: "Device.IP.Diagnostics.UploadDiagnostics()",
  dns: "Device.DNS.Diagnostics.NSLookupDiagnostics()",
  wifiScan: "Device.WiFi.NeighboringWiFiDiagnostic()",
};

/** "Device.IP.Diagnostics.IPPing()" -> "Device.IP.Diagnostics.IPPing.", the path the Diagnostic row names. */
export function commandPath(command: string): string {
  return `${command.replace(/\(\)$/, "")}.`;
}

/** Input arguments from the CWMP-style start values (path-prefixed, with DiagnosticsState=Requested). */
export function commandInputArgs(path: string, values: readonly { name: string; value: string }[]) {
  const args: Record<string, string> = {};
  for (const v of values) {
    const name = v.name.startsWith(path) ? v.name.slice(path.length) : v.name;
    if (name !== "DiagnosticsState") args[name] = v.value;
  }
  return args;
}

/** Output arguments as the diagnostics object's values, ready for parseDiagnosticResult. */
export function outputArgsAsValues(path: string, outputArgs: Record<string, string>) {
  const values = Object.entries(outputArgs).map(([name, value]) => ({
    name: `${path}${name === "Status" ? "DiagnosticsState" : name}`,
    value,
  }));
  if (!("Status" in outputArgs)) values.push({ name: `${path}DiagnosticsState`, value: "Complete" });
  return values;
}

/**
 * A small TR-181 data model for the simulated USP agent: parameters by full path, with writability, write-only
 * values (passphrases read back empty), multi-instance objects with the odd instance numbers real agents use,
 * and path resolution with "*" wildcards as USP requests use them.
 */

export interface StoredParameter {
  value: string;
  writable: boolean;
  /** Read back as "" (TR-181 passphrases and keys). */
  writeOnly?: boolean;
}

export interface AgentIdentity {
  oui: string;
  productClass: string;
  serialNumber: string;
  manufacturer: string;
  modelName: string;
  softwareVersion: string;
  hardwareVersion: string;
}

export class Tr181Store {
  readonly params = new Map<string, StoredParameter>();
  /** Multi-instance object tables ("Device.WiFi.SSID.") and the next instance number each hands out. */
  readonly tables = new Map<string, number>();

  constructor(identity: AgentIdentity, endpointId: string) {
    const info = (name: string, value: string, writable = false) =>
      this.params.set(`Device.DeviceInfo.${name}`, { value, writable });
    info("Manufacturer", identity.manufacturer);
    info("ManufacturerOUI", identity.oui);
    info("ModelName", identity.modelName);
    info("ProductClass", identity.productClass);
    info("SerialNumber", identity.serialNumber);
    info("SoftwareVersion", identity.softwareVersion);
    info("HardwareVersion", identity.hardwareVersion);
    info("UpTime", "42");
    info("ProvisioningCode", "", true);
    this.params.set("Device.LocalAgent.EndpointID", { value: endpointId, writable: false });
    this.params.set("Device.ManagementServer.EnableCWMP", { value: "false", writable: true });
    this.tables.set("Device.LocalAgent.Subscription.", 1);
    this.tables.set("Device.LocalAgent.Request.", 1);
    // SSID.1 / AccessPoint.1 are the 2.4 GHz network and .2 the 5 GHz one, as the TR-181 mapping expects.
    // Instance numbers say nothing about what an object is: the 5 GHz network is SSID.3 on Radio.2, as on real
    // dual-band gateways; Beacon must find it through LowerLayers and OperatingFrequencyBand.
    this.tables.set("Device.WiFi.SSID.", 4);
    this.tables.set("Device.WiFi.AccessPoint.", 4);
    for (const [radio, band, channel] of [
      [1, "2.4GHz", "6"],
      [2, "5GHz", "36"],
    ] as const) {
      this.params.set(`Device.WiFi.Radio.${radio}.Enable`, { value: "true", writable: true });
      this.params.set(`Device.WiFi.Radio.${radio}.OperatingFrequencyBand`, { value: band, writable: true });
      this.params.set(`Device.WiFi.Radio.${radio}.SupportedFrequencyBands`, { value: band, writable: false });
      this.params.set(`Device.WiFi.Radio.${radio}.Channel`, { value: channel, writable: true });
    }
    for (const [i, radio, band] of [
      [1, 1, "2.4GHz"],
      [3, 2, "5GHz"],
    ] as const) {
      this.params.set(`Device.WiFi.SSID.${i}.Enable`, { value: "true", writable: true });
      this.params.set(`Device.WiFi.SSID.${i}.SSID`, { value: `Sim-${identity.serialNumber}-${band}`, writable: true });
      this.params.set(`Device.WiFi.SSID.${i}.LowerLayers`, { value: `Device.WiFi.Radio.${radio}`, writable: true });
      this.params.set(`Device.WiFi.AccessPoint.${i}.Enable`, { value: "true", writable: true });
      this.params.set(`Device.WiFi.AccessPoint.${i}.SSIDReference`, { value: `Device.WiFi.SSID.${i}`, writable: true });
      this.params.set(`Device.WiFi.AccessPoint.${i}.SSIDAdvertisementEnabled`, { value: "true", writable: true });
      this.params.set(`Device.WiFi.AccessPoint.${i}.Security.ModeEnabled`, { value: "WPA2-Personal", writable: true });
      this.params.set(`Device.WiFi.AccessPoint.${i}.Security.KeyPassphrase`, {
        value: `factory-${identity.serialNumber}`,
        writable: true,
        writeOnly: true,
      });
    }
    this.params.set("Device.IP.Diagnostics.IPv4PingSupported", { value: "true", writable: false });
  }

  identity() {
    const read = (n: string) => this.params.get(`Device.DeviceInfo.${n}`)?.value ?? "";
    return { oui: read("ManufacturerOUI"), productClass: read("ProductClass"), serialNumber: read("SerialNumber") };
  }

  /** Full paths of parameters matched by a USP path: a parameter, an object ("...."), with "*" for any instance. */
  resolve(path: string): string[] {
    const pattern = pathPattern(path);
    return [...this.params.keys()].filter((name) => pattern.test(name));
  }

  /** Existing object instances matched by an object path ("Device.WiFi.SSID.*." or "Device.WiFi.SSID.3."). */
  objects(path: string): string[] {
    const pattern = new RegExp(`^${escapeRegExp(path).replace(/\\\*/g, "[^.]+")}`);
    const found = new Set<string>();
    for (const name of this.params.keys()) {
      const m = pattern.exec(name);
      if (m) found.add(m[0]);
    }
    return [...found];
  }

  read(name: string): string | undefined {
    const p = this.params.get(name);
    if (!p) return undefined;
    return p.writeOnly ? "" : p.value;
  }

  /** Adds an instance of a table, with the given parameters; returns its path. */
  addInstance(table: string, values: Record<string, string>): string {
    const next = this.tables.get(table);
    if (next === undefined) throw new Error(`${table} is not a table`);
    this.tables.set(table, next + 1);
    const path = `${table}${next}.`;
    for (const [name, value] of Object.entries(values)) this.params.set(`${path}${name}`, { value, writable: true });
    return path;
  }

  deleteInstance(path: string): boolean {
    let removed = false;
    for (const name of [...this.params.keys()]) {
      if (name.startsWith(path)) {
        this.params.delete(name);
        removed = true;
      }
    }
    return removed;
  }

  /** Subscriptions (Device.LocalAgent.Subscription.{i}.) that are enabled, by notification type. */
  subscriptions(type: string): { id: string; referenceList: string[] }[] {
    const result: { id: string; referenceList: string[] }[] = [];
    for (const path of this.objects("Device.LocalAgent.Subscription.*.")) {
      if (this.params.get(`${path}Enable`)?.value !== "true") continue;
      if (this.params.get(`${path}NotifType`)?.value !== type) continue;
      result.push({
        id: this.params.get(`${path}ID`)?.value ?? "",
        referenceList: (this.params.get(`${path}ReferenceList`)?.value ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      });
    }
    return result;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, "\\$&");
}

export function pathPattern(path: string): RegExp {
  const body = escapeRegExp(path).replace(/\\\*/g, "[^.]+");
  return new RegExp(path.endsWith(".") ? `^${body}` : `^${body}$`);
}

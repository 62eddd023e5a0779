import type { FixtureEntry, ModelFixture } from "../model/fixture.ts";

/**
 * Home gateways written for Beacon's WiFi tests from the object definitions of TR-098 (WLANConfiguration,
 * WANConnectionDevice) and TR-181 (WiFi.Radio, WiFi.SSID over LowerLayers, WiFi.AccessPoint by SSIDReference,
 * PPP.Interface). Each breaks an assumption about instance numbers that real devices break: the 5 GHz network on
 * instance 1, three bands, guest networks on and off, SSIDs stacked on radios in crossed order, a band that only
 * the channel tells, PPPoE on the second WAN connection, a single band, a passphrase the device will not let an
 * ACS change. Passphrases read back empty (the default of the simulator; see secretsReadBack).
 */

const IGD = "InternetGatewayDevice";
const D = "Device";

interface Identity {
  name: string;
  description: string;
  model: string;
}

function identityOf(i: Identity) {
  return { manufacturer: "Beacon Sim WiFi", oui: "00BEAD", productClass: i.model, serialNumber: `BSW${i.model}` };
}

function management(root: string): FixtureEntry[] {
  const ms = `${root}.ManagementServer`;
  return [
    [`${ms}.URL`, "string", "w", "http://acs.invalid:7547/"],
    [`${ms}.Username`, "string", "w", ""],
    [`${ms}.Password`, "string", "w", ""],
    [`${ms}.PeriodicInformEnable`, "boolean", "w", "true"],
    [`${ms}.PeriodicInformInterval`, "unsignedInt", "w", "3600"],
    [`${ms}.ParameterKey`, "string", "r", ""],
    [`${ms}.ConnectionRequestURL`, "string", "r", "", 2],
    [`${ms}.ConnectionRequestUsername`, "string", "w", ""],
    [`${ms}.ConnectionRequestPassword`, "string", "w", ""],
  ];
}

function deviceInfo(root: string, i: Identity): FixtureEntry[] {
  const di = `${root}.DeviceInfo`;
  return [
    [`${di}.Manufacturer`, "string", "r", "Beacon Sim WiFi"],
    [`${di}.ManufacturerOUI`, "string", "r", "00BEAD"],
    [`${di}.ModelName`, "string", "r", i.model],
    [`${di}.ProductClass`, "string", "r", i.model],
    [`${di}.SerialNumber`, "string", "r", `BSW${i.model}`],
    [`${di}.HardwareVersion`, "string", "r", "1.0"],
    [`${di}.SoftwareVersion`, "string", "r", "1.0.0", 2],
    [`${di}.ProvisioningCode`, "string", "w", "", 2],
    [`${di}.UpTime`, "unsignedInt", "r", "0"],
  ];
}

// ---- TR-098

interface Wlan098 {
  ssid: string;
  enable: boolean;
  /** OperatingFrequencyBand when the device reports it (TR-098 Amendment 2+); omitted otherwise. */
  band?: "2.4GHz" | "5GHz";
  channel: number;
  possibleChannels?: string;
  standard: string;
  clients?: number;
}

function wlan098(i: number, w: Wlan098): FixtureEntry[] {
  const p = `${IGD}.LANDevice.1.WLANConfiguration.${i}`;
  return [
    [`${p}.Enable`, "boolean", "w", String(w.enable)],
    [`${p}.Status`, "string", "r", w.enable ? "Up" : "Disabled"],
    [`${p}.SSID`, "string", "w", w.ssid],
    [`${p}.BeaconType`, "string", "w", "11i"],
    [`${p}.BasicAuthenticationMode`, "string", "w", "None"],
    [`${p}.BasicEncryptionModes`, "string", "w", "None"],
    [`${p}.IEEE11iAuthenticationMode`, "string", "w", "PSKAuthentication"],
    [`${p}.IEEE11iEncryptionModes`, "string", "w", "AESEncryption"],
    [`${p}.WPAAuthenticationMode`, "string", "w", "PSKAuthentication"],
    [`${p}.WPAEncryptionModes`, "string", "w", "AESEncryption"],
    [`${p}.KeyPassphrase`, "string", "w", "previous-guest-1"],
    [`${p}.PreSharedKey.1.KeyPassphrase`, "string", "w", ""],
    [`${p}.SSIDAdvertisementEnabled`, "boolean", "w", "true"],
    [`${p}.RadioEnabled`, "boolean", "w", "true"],
    [`${p}.Channel`, "unsignedInt", "w", String(w.channel)],
    [`${p}.AutoChannelEnable`, "boolean", "w", "false"],
    ...(w.possibleChannels ? [[`${p}.PossibleChannels`, "string", "r", w.possibleChannels] as const] : []),
    [`${p}.Standard`, "string", "w", w.standard],
    ...(w.band ? [[`${p}.OperatingFrequencyBand`, "string", "w", w.band] as const] : []),
    [`${p}.TotalAssociations`, "unsignedInt", "r", String(w.clients ?? 0)],
  ];
}

interface Wan098 {
  wcd: number;
  kind: "IP" | "PPP";
  name: string;
  service: string;
  status: string;
}

function wan098(w: Wan098): FixtureEntry[] {
  const p = `${IGD}.WANDevice.1.WANConnectionDevice.${w.wcd}.WAN${w.kind}Connection.1`;
  return [
    [`${p}.Enable`, "boolean", "w", "true"],
    [`${p}.ConnectionStatus`, "string", "r", w.status],
    [`${p}.ConnectionType`, "string", "w", "IP_Routed"],
    [`${p}.Name`, "string", "w", w.name],
    [`${p}.NATEnabled`, "boolean", "w", "true"],
    [`${p}.X_BSW_ServiceList`, "string", "w", w.service],
    ...(w.kind === "PPP"
      ? ([
          [`${p}.Username`, "string", "w", "isp-user"],
          [`${p}.Password`, "string", "w", ""],
        ] as const)
      : ([[`${p}.ExternalIPAddress`, "string", "r", `198.51.100.${w.wcd}`]] as const)),
  ];
}

function model098(i: Identity, wlans: [number, Wlan098][], wans: Wan098[]): ModelFixture {
  return {
    name: i.name,
    description: i.description,
    identity: identityOf(i),
    entries: [
      [`${IGD}.DeviceSummary`, "string", "r", "InternetGatewayDevice:1.4[](Baseline:2, WiFiLAN:2)"],
      ...deviceInfo(IGD, i),
      ...management(IGD),
      [`${IGD}.LANDeviceNumberOfEntries`, "unsignedInt", "r", "1"],
      [`${IGD}.LANDevice.1.WLANConfigurationNumberOfEntries`, "unsignedInt", "r", String(wlans.length)],
      ...wlans.flatMap(([n, w]) => wlan098(n, w)),
      [`${IGD}.WANDeviceNumberOfEntries`, "unsignedInt", "r", "1"],
      ...wans.flatMap(wan098),
    ],
  };
}

const TWO_FOUR: Omit<Wlan098, "ssid" | "enable"> = { channel: 6, standard: "b,g,n", possibleChannels: "1-13" };
const FIVE: Omit<Wlan098, "ssid" | "enable"> = { channel: 44, standard: "a,n,ac", possibleChannels: "36,40,44,48" };
const INTERNET_PPP: Wan098 = { wcd: 1, kind: "PPP", name: "1_INTERNET_R", service: "INTERNET", status: "Connected" };

/** TR-098, dual band, WLANConfiguration.1 is 5 GHz and .2 is 2.4 GHz (there is no .5); bands reported. */
export const wifi5gFirst = model098(
  { name: "wifi-098-5g-first", description: "TR-098 dual band, 5 GHz on WLANConfiguration.1", model: "W98-5GFIRST" },
  [
    [1, { ...FIVE, ssid: "Sim-5G", enable: true, band: "5GHz", clients: 2 }],
    [2, { ...TWO_FOUR, ssid: "Sim-2G", enable: true, band: "2.4GHz", clients: 1 }],
  ],
  [INTERNET_PPP],
);

/** TR-098, no band reported: WLANConfiguration.3 is 5 GHz by its channel and possible channels, .7 is 2.4 GHz. */
export const wifiChannelOnly = model098(
  {
    name: "wifi-098-channel-only",
    description: "TR-098 dual band, band known from the channel only",
    model: "W98-CHAN",
  },
  [
    [3, { channel: 149, standard: "n", ssid: "Sim-Chan-A", enable: true, clients: 1 }],
    [7, { channel: 11, standard: "n", ssid: "Sim-Chan-B", enable: true }],
  ],
  [INTERNET_PPP],
);

/** TR-098 whose first WAN connection is management only and PPPoE carries Internet on the second. */
export const wifiPppoeSecond = model098(
  { name: "wifi-098-pppoe-second", description: "TR-098, PPPoE on WANConnectionDevice.2", model: "W98-PPP2" },
  [
    [1, { ...TWO_FOUR, ssid: "Sim-2G", enable: true, band: "2.4GHz" }],
    [5, { ...FIVE, ssid: "Sim-5G", enable: true, band: "5GHz" }],
  ],
  [
    { wcd: 1, kind: "IP", name: "1_TR069_R_VID_46", service: "TR069", status: "Connected" },
    { wcd: 2, kind: "PPP", name: "2_INTERNET_R_VID_10", service: "INTERNET", status: "Connected" },
  ],
);

/** TR-098 with one 2.4 GHz radio and one network. */
export const wifiSingleBand = model098(
  { name: "wifi-098-single-band", description: "TR-098, one 2.4 GHz network", model: "W98-SINGLE" },
  [[1, { ...TWO_FOUR, ssid: "Sim-Only", enable: true, band: "2.4GHz", clients: 3 }]],
  [INTERNET_PPP],
);

// ---- TR-181

interface Radio181 {
  band: "2.4GHz" | "5GHz" | "6GHz";
  channel: number;
}

interface Ssid181 {
  /** Which Radio instance the SSID sits on (LowerLayers). */
  radio: number;
  ssid: string;
  enable: boolean;
  /** Which AccessPoint instance serves it (SSIDReference). */
  accessPoint: number;
  alias?: string;
  clients?: number;
  /** The vendor will not let an ACS change this network's passphrase (managed elsewhere). */
  lockedPassphrase?: boolean;
}

function model181(i: Identity, radios: Radio181[], ssids: Ssid181[]): ModelFixture {
  const wifi = `${D}.WiFi`;
  return {
    name: i.name,
    description: i.description,
    identity: identityOf(i),
    entries: [
      [`${D}.RootDataModelVersion`, "string", "r", "2.15"],
      ...deviceInfo(D, i),
      ...management(D),
      [`${wifi}.RadioNumberOfEntries`, "unsignedInt", "r", String(radios.length)],
      ...radios.flatMap((r, n): FixtureEntry[] => [
        [`${wifi}.Radio.${n + 1}.Enable`, "boolean", "w", "true"],
        [`${wifi}.Radio.${n + 1}.Status`, "string", "r", "Up"],
        [`${wifi}.Radio.${n + 1}.OperatingFrequencyBand`, "string", "w", r.band],
        [`${wifi}.Radio.${n + 1}.SupportedFrequencyBands`, "string", "r", r.band],
        [`${wifi}.Radio.${n + 1}.Channel`, "unsignedInt", "w", String(r.channel)],
        [`${wifi}.Radio.${n + 1}.AutoChannelEnable`, "boolean", "w", "false"],
      ]),
      [`${wifi}.SSIDNumberOfEntries`, "unsignedInt", "r", String(ssids.length)],
      [`${wifi}.AccessPointNumberOfEntries`, "unsignedInt", "r", String(ssids.length)],
      ...ssids.flatMap((s, n): FixtureEntry[] => {
        const ssid = `${wifi}.SSID.${n + 1}`;
        const ap = `${wifi}.AccessPoint.${s.accessPoint}`;
        return [
          [`${ssid}.Enable`, "boolean", "w", String(s.enable)],
          [`${ssid}.Status`, "string", "r", s.enable ? "Up" : "Down"],
          [`${ssid}.Alias`, "string", "w", s.alias ?? `cpe-ssid-${n + 1}`],
          [`${ssid}.SSID`, "string", "w", s.ssid],
          [`${ssid}.LowerLayers`, "string", "w", `${wifi}.Radio.${s.radio}.`],
          [`${ap}.Enable`, "boolean", "w", "true"],
          [`${ap}.SSIDReference`, "string", "w", `${ssid}.`],
          [`${ap}.SSIDAdvertisementEnabled`, "boolean", "w", "true"],
          [`${ap}.Security.ModeEnabled`, "string", "w", "WPA2-Personal"],
          [`${ap}.Security.ModesSupported`, "string", "r", "None,WPA2-Personal,WPA3-Personal,WPA3-Personal-Transition"],
          [`${ap}.Security.KeyPassphrase`, "string", s.lockedPassphrase ? "r" : "w", "previous-guest-1"],
          [`${ap}.AssociatedDeviceNumberOfEntries`, "unsignedInt", "r", String(s.clients ?? 0)],
        ];
      }),
      [`${D}.PPP.InterfaceNumberOfEntries`, "unsignedInt", "r", "1"],
      [`${D}.PPP.Interface.1.Enable`, "boolean", "w", "true"],
      [`${D}.PPP.Interface.1.Status`, "string", "r", "Up"],
      [`${D}.PPP.Interface.1.ConnectionStatus`, "string", "r", "Connected"],
      [`${D}.PPP.Interface.1.Alias`, "string", "w", "internet"],
      [`${D}.PPP.Interface.1.Username`, "string", "w", "isp-user"],
      [`${D}.PPP.Interface.1.Password`, "string", "w", ""],
      [`${D}.IP.InterfaceNumberOfEntries`, "unsignedInt", "r", "2"],
      [`${D}.IP.Interface.1.Enable`, "boolean", "w", "true"],
      [`${D}.IP.Interface.1.Status`, "string", "r", "Up"],
      [`${D}.IP.Interface.1.Name`, "string", "r", "wan"],
      [`${D}.IP.Interface.1.LowerLayers`, "string", "w", `${D}.PPP.Interface.1.`],
      [`${D}.IP.Interface.1.IPv4Address.1.IPAddress`, "string", "r", "203.0.113.9", 2],
      [`${D}.IP.Interface.2.Enable`, "boolean", "w", "true"],
      [`${D}.IP.Interface.2.Status`, "string", "r", "Up"],
      [`${D}.IP.Interface.2.Name`, "string", "r", "br-lan"],
      [`${D}.IP.Interface.2.IPv4Address.1.IPAddress`, "string", "w", "192.168.1.1"],
    ],
  };
}

/** TR-181 tri-band: 2.4, 5 and 6 GHz radios, one main network on each. */
export const wifiTriBand = model181(
  { name: "wifi-181-triband", description: "TR-181 tri-band 2.4/5/6 GHz", model: "W181-TRI" },
  [
    { band: "2.4GHz", channel: 1 },
    { band: "5GHz", channel: 36 },
    { band: "6GHz", channel: 37 },
  ],
  [
    { radio: 1, ssid: "Tri-2G", enable: true, accessPoint: 1, clients: 2 },
    { radio: 2, ssid: "Tri-5G", enable: true, accessPoint: 2, clients: 1 },
    { radio: 3, ssid: "Tri-6G", enable: true, accessPoint: 3, clients: 1 },
  ],
);

/** TR-181 whose SSID.2 is a switched-off 2.4 GHz guest network and SSID.3 the real 5 GHz one; SSID.4 a 5 GHz guest, on. */
export const wifiGuests = model181(
  { name: "wifi-181-guests", description: "TR-181 with guest networks on and off", model: "W181-GUEST" },
  [
    { band: "2.4GHz", channel: 6 },
    { band: "5GHz", channel: 44 },
  ],
  [
    { radio: 1, ssid: "Main-2G", enable: true, accessPoint: 1, clients: 1 },
    { radio: 1, ssid: "Guest-2G", enable: false, accessPoint: 2, alias: "guest-2g" },
    { radio: 2, ssid: "Main-5G", enable: true, accessPoint: 3, clients: 2 },
    { radio: 2, ssid: "Guest-5G", enable: true, accessPoint: 4, alias: "guest-5g", clients: 1 },
  ],
);

/** TR-181 with SSIDs stacked on radios in crossed order: SSID.1 on Radio.2 (5 GHz), served by AccessPoint.2. */
export const wifiStacked = model181(
  {
    name: "wifi-181-stacked",
    description: "TR-181 SSIDs on radios and access points in crossed order",
    model: "W181-STACK",
  },
  [
    { band: "2.4GHz", channel: 11 },
    { band: "5GHz", channel: 100 },
  ],
  [
    { radio: 2, ssid: "Stack-5G", enable: true, accessPoint: 2, clients: 1 },
    { radio: 1, ssid: "Stack-2G", enable: true, accessPoint: 1, clients: 1 },
  ],
);

/** The guests model with a guest network whose passphrase the vendor keeps read-only: no checkout can change it. */
export const wifiLockedGuest = model181(
  {
    name: "wifi-181-locked-guest",
    description: "TR-181 with a guest passphrase an ACS cannot set",
    model: "W181-LOCK",
  },
  [
    { band: "2.4GHz", channel: 6 },
    { band: "5GHz", channel: 44 },
  ],
  [
    { radio: 1, ssid: "Main-2G", enable: true, accessPoint: 1 },
    { radio: 2, ssid: "Main-5G", enable: true, accessPoint: 2 },
    { radio: 2, ssid: "Guest-5G", enable: true, accessPoint: 3, alias: "guest-5g", lockedPassphrase: true },
  ],
);

export const WIFI_MODELS: readonly ModelFixture[] = [
  wifi5gFirst,
  wifiChannelOnly,
  wifiPppoeSecond,
  wifiSingleBand,
  wifiTriBand,
  wifiGuests,
  wifiStacked,
  wifiLockedGuest,
];

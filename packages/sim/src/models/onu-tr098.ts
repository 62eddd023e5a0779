import type { ModelFixture } from "../model/fixture.ts";

/**
 * A compact GPON ONU on the TR-098 root (InternetGatewayDevice:1.4), written for Beacon's tests. It carries
 * the Huawei-style vendor extensions ACS code must cope with: X_HW_ names and the misspelt
 * X_GponInterafceConfig object real Huawei ONTs report optical levels under.
 */

const IGD = "InternetGatewayDevice";
const WCD = `${IGD}.WANDevice.1.WANConnectionDevice.1`;
const PPP = `${WCD}.WANPPPConnection`;
const LAN = `${IGD}.LANDevice.1`;
const WLAN = `${LAN}.WLANConfiguration`;

export const onuTr098: ModelFixture = {
  name: "beacon-onu-tr098",
  description: "Beacon Sim ONU-98: compact GPON ONU, TR-098 root, Huawei-style X_HW_ extensions",
  identity: { manufacturer: "Beacon Sim", oui: "00BEAC", productClass: "SimONU-98", serialNumber: "BSIM98000001" },
  entries: [
    [
      `${IGD}.DeviceSummary`,
      "string",
      "r",
      "InternetGatewayDevice:1.4[](Baseline:2, EthernetLAN:1, WiFiLAN:2, Time:1)",
    ],
    [`${IGD}.LANDeviceNumberOfEntries`, "unsignedInt", "r", "1"],
    [`${IGD}.WANDeviceNumberOfEntries`, "unsignedInt", "r", "1"],

    [`${IGD}.DeviceInfo.Manufacturer`, "string", "r", "Beacon Sim"],
    [`${IGD}.DeviceInfo.ManufacturerOUI`, "string", "r", "00BEAC"],
    [`${IGD}.DeviceInfo.ModelName`, "string", "r", "SimONU-98"],
    [`${IGD}.DeviceInfo.Description`, "string", "r", "GPON ONU with 4 GE ports and 2.4 GHz Wi-Fi"],
    [`${IGD}.DeviceInfo.ProductClass`, "string", "r", "SimONU-98"],
    [`${IGD}.DeviceInfo.SerialNumber`, "string", "r", "BSIM98000001"],
    [`${IGD}.DeviceInfo.HardwareVersion`, "string", "r", "HW-A1"],
    [`${IGD}.DeviceInfo.SoftwareVersion`, "string", "r", "V1.0.0", 2],
    [`${IGD}.DeviceInfo.SpecVersion`, "string", "r", "1.0"],
    [`${IGD}.DeviceInfo.ProvisioningCode`, "string", "w", "", 2],
    [`${IGD}.DeviceInfo.UpTime`, "unsignedInt", "r", "0"],
    [`${IGD}.DeviceInfo.FirstUseDate`, "dateTime", "r", "0001-01-01T00:00:00Z"],

    [`${IGD}.ManagementServer.URL`, "string", "w", "http://acs.invalid:7547/"],
    [`${IGD}.ManagementServer.Username`, "string", "w", ""],
    [`${IGD}.ManagementServer.Password`, "string", "w", ""],
    [`${IGD}.ManagementServer.PeriodicInformEnable`, "boolean", "w", "true"],
    [`${IGD}.ManagementServer.PeriodicInformInterval`, "unsignedInt", "w", "3600"],
    [`${IGD}.ManagementServer.PeriodicInformTime`, "dateTime", "w", "0001-01-01T00:00:00Z"],
    [`${IGD}.ManagementServer.ParameterKey`, "string", "r", ""],
    [`${IGD}.ManagementServer.ConnectionRequestURL`, "string", "r", "", 2],
    [`${IGD}.ManagementServer.ConnectionRequestUsername`, "string", "w", ""],
    [`${IGD}.ManagementServer.ConnectionRequestPassword`, "string", "w", ""],
    [`${IGD}.ManagementServer.UpgradesManaged`, "boolean", "w", "false"],
    [`${IGD}.ManagementServer.UDPConnectionRequestAddress`, "string", "r", ""],
    [`${IGD}.ManagementServer.UDPConnectionRequestAddressNotificationLimit`, "unsignedInt", "w", "0"],
    [`${IGD}.ManagementServer.STUNEnable`, "boolean", "w", "false"],
    [`${IGD}.ManagementServer.NATDetected`, "boolean", "r", "false"],
    [`${IGD}.ManagementServer.X_HW_EnableCertificate`, "unsignedInt", "w", "0"],

    [`${IGD}.Time.NTPServer1`, "string", "w", "pool.ntp.org"],
    [`${IGD}.Time.LocalTimeZoneName`, "string", "w", "UTC"],
    [`${IGD}.Time.CurrentLocalTime`, "dateTime", "r", "0001-01-01T00:00:00Z"],

    [`${IGD}.WANDevice.1.WANConnectionNumberOfEntries`, "unsignedInt", "r", "1"],
    [`${IGD}.WANDevice.1.X_GponInterafceConfig.Status`, "string", "r", "Up"],
    [`${IGD}.WANDevice.1.X_GponInterafceConfig.RXPower`, "int", "r", "-19"],
    [`${IGD}.WANDevice.1.X_GponInterafceConfig.TXPower`, "int", "r", "2"],
    [`${IGD}.WANDevice.1.X_GponInterafceConfig.Temperature`, "int", "r", "45"],
    [`${IGD}.WANDevice.1.X_GponInterafceConfig.BiasCurrent`, "unsignedInt", "r", "9800"],
    [`${IGD}.X_HW_Optical.RxPowerDbm`, "string", "r", "-19.32"],
    [`${IGD}.X_HW_Optical.TxPowerDbm`, "string", "r", "2.36"],
    [`${IGD}.X_HW_Optical.LowerRxThreshold`, "string", "w", "-27.00"],

    [`${WCD}.WANIPConnectionNumberOfEntries`, "unsignedInt", "r", "0"],
    [`${WCD}.WANPPPConnectionNumberOfEntries`, "unsignedInt", "r", "1"],
    [`${PPP}.`, "object", "w"],
    [`${PPP}.1.`, "object", "w"],
    [`${PPP}.1.Enable`, "boolean", "w", "true"],
    [`${PPP}.1.Name`, "string", "w", "1_INTERNET_R_VID_100"],
    [`${PPP}.1.ConnectionType`, "string", "w", "IP_Routed"],
    [`${PPP}.1.ConnectionStatus`, "string", "r", "Connected"],
    [`${PPP}.1.Username`, "string", "w", "user@isp.example"],
    [`${PPP}.1.Password`, "string", "w", ""],
    [`${PPP}.1.ExternalIPAddress`, "string", "r", "198.51.100.23", 2],
    [`${PPP}.1.NATEnabled`, "boolean", "w", "true"],
    [`${PPP}.1.MaxMRUSize`, "unsignedInt", "w", "1492"],
    [`${PPP}.1.DNSServers`, "string", "r", "198.51.100.1,198.51.100.2"],
    [`${PPP}.1.X_HW_VLAN`, "unsignedInt", "w", "100"],
    [`${PPP}.1.PortMappingNumberOfEntries`, "unsignedInt", "r", "1"],
    [`${PPP}.1.PortMapping.`, "object", "w"],
    [`${PPP}.1.PortMapping.1.`, "object", "w"],
    [`${PPP}.1.PortMapping.1.PortMappingEnabled`, "boolean", "w", "true"],
    [`${PPP}.1.PortMapping.1.PortMappingProtocol`, "string", "w", "TCP"],
    [`${PPP}.1.PortMapping.1.ExternalPort`, "unsignedInt", "w", "8080"],
    [`${PPP}.1.PortMapping.1.InternalPort`, "unsignedInt", "w", "80"],
    [`${PPP}.1.PortMapping.1.InternalClient`, "string", "w", "192.168.100.10"],
    [`${PPP}.1.PortMapping.1.PortMappingDescription`, "string", "w", "web"],

    [`${LAN}.LANHostConfigManagement.DHCPServerEnable`, "boolean", "w", "true"],
    [`${LAN}.LANHostConfigManagement.MinAddress`, "string", "w", "192.168.100.2"],
    [`${LAN}.LANHostConfigManagement.MaxAddress`, "string", "w", "192.168.100.254"],
    [`${LAN}.LANHostConfigManagement.IPInterface.1.IPInterfaceIPAddress`, "string", "w", "192.168.100.1"],
    [`${LAN}.LANHostConfigManagement.IPInterface.1.IPInterfaceSubnetMask`, "string", "w", "255.255.255.0"],
    [`${LAN}.Hosts.HostNumberOfEntries`, "unsignedInt", "r", "2"],
    [`${LAN}.Hosts.Host.1.IPAddress`, "string", "r", "192.168.100.10"],
    [`${LAN}.Hosts.Host.1.MACAddress`, "string", "r", "02:00:5e:10:00:01"],
    [`${LAN}.Hosts.Host.1.HostName`, "string", "r", "laptop"],
    [`${LAN}.Hosts.Host.1.Active`, "boolean", "r", "true"],
    [`${LAN}.Hosts.Host.2.IPAddress`, "string", "r", "192.168.100.11"],
    [`${LAN}.Hosts.Host.2.MACAddress`, "string", "r", "02:00:5e:10:00:02"],
    [`${LAN}.Hosts.Host.2.HostName`, "string", "r", "phone"],
    [`${LAN}.Hosts.Host.2.Active`, "boolean", "r", "false"],
    [`${LAN}.WLANConfigurationNumberOfEntries`, "unsignedInt", "r", "1"],
    [`${WLAN}.1.Enable`, "boolean", "w", "true"],
    [`${WLAN}.1.SSID`, "string", "w", "BeaconSim-2G"],
    [`${WLAN}.1.BeaconType`, "string", "w", "11i"],
    [`${WLAN}.1.KeyPassphrase`, "string", "w", ""],
    [`${WLAN}.1.Channel`, "unsignedInt", "w", "6"],
    [`${WLAN}.1.AutoChannelEnable`, "boolean", "w", "false"],
    [`${WLAN}.1.Standard`, "string", "w", "n"],
    [`${WLAN}.1.TotalAssociations`, "unsignedInt", "r", "1"],
    [`${WLAN}.1.X_HW_WorkMode`, "string", "w", "b/g/n"],
  ],
};

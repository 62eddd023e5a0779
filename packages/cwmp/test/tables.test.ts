import { describe, expect, it } from "vitest";
import {
  ACS_FAULTS,
  CPE_FAULTS,
  CWMP_NAMESPACES,
  cwmpVersionOf,
  EVENT_CODES,
  faultText,
  normaliseEventCode,
  parameterName,
  parseDateTime,
  soapFaultCodeOf,
  xsdTypeOf,
} from "../src/index.ts";

describe("fault codes", () => {
  it("explains every ACS fault 8000-8006 in words", () => {
    for (let code = 8000; code <= 8006; code++) expect(ACS_FAULTS.get(code)?.text).toBeTruthy();
    expect(faultText(8005)).toBe("Retry request");
    expect(faultText(8006)).toBe("ACS version incompatible with CPE");
  });

  it("explains every CPE fault 9000-9032 in words, including the transfer faults 9010-9020", () => {
    for (let code = 9000; code <= 9032; code++) expect(CPE_FAULTS.get(code)?.text).toBeTruthy();
    expect(faultText(9005)).toBe("Invalid parameter name");
    expect(faultText(9015)).toContain("file server");
  });

  it("names vendor and unknown codes instead of failing", () => {
    expect(faultText(9850)).toBe("Vendor-specific CPE fault 9850");
    expect(faultText(8850)).toBe("Vendor-specific ACS fault 8850");
    expect(faultText(1234)).toBe("Unknown fault 1234");
  });

  it("blames the client for invalid arguments and names, the server otherwise", () => {
    expect(soapFaultCodeOf(8003)).toBe("Client");
    expect(soapFaultCodeOf(9005)).toBe("Client");
    expect(soapFaultCodeOf(9002)).toBe("Server");
    expect(soapFaultCodeOf(9899)).toBe("Server");
  });
});

describe("CWMP versions", () => {
  it("maps versions 1.0-1.4 to namespaces; 1.3 and 1.4 keep the 1.2 namespace", () => {
    expect(CWMP_NAMESPACES["1.0"]).toBe("urn:dslforum-org:cwmp-1-0");
    expect(CWMP_NAMESPACES["1.1"]).toBe("urn:dslforum-org:cwmp-1-1");
    expect(CWMP_NAMESPACES["1.4"]).toBe("urn:dslforum-org:cwmp-1-2");
  });

  it.each([
    ["urn:dslforum-org:cwmp-1-0", "1.0"],
    ["urn:dslforum-org:cwmp-1-2", "1.2"],
    ["urn:dslforum-org:cwmp-1-4", "1.4"],
    ["urn:dslforum-org:cwmp-1-9", "1.9"],
    ["urn:dslforum-org:cwmp-1-10", "1.10"],
    ["urn:dslforum-org:cwmp-1-", undefined],
    ["urn:dslforum-org:cwmp-1-x", undefined],
    ["http://schemas.xmlsoap.org/soap/envelope/", undefined],
  ])("cwmpVersionOf(%s) is %s", (namespace, version) => {
    expect(cwmpVersionOf(namespace)).toBe(version);
  });
});

describe("dateTime", () => {
  it.each([
    ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000Z"],
    ["2024-05-01T12:00:00.5+00:30", "2024-05-01T11:30:00.500Z"],
    ["2024-02-29T00:00:00", "2024-02-29T00:00:00.000Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"],
  ])("parses %s", (raw, iso) => {
    expect(parseDateTime(raw)?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "0000-00-00T00:00:00",
    "2019-03-05T11:54::14",
    "2023-02-29T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "yesterday",
    "2024-05-01 12:00:00",
  ])("returns undefined for %j without throwing", (raw) => {
    expect(parseDateTime(raw)).toBeUndefined();
  });
});

describe("names, types and event codes", () => {
  it("knows the spec's event codes", () => {
    expect(EVENT_CODES).toContain("13 WAKEUP");
    expect(normaliseEventCode("13 wakeup")).toBe("13 WAKEUP");
  });

  it("normalises parameter names: no whitespace, no leading dot", () => {
    expect(parameterName(" .ExternalIPAddress\n")).toBe("ExternalIPAddress");
    expect(parameterName("Device.")).toBe("Device.");
  });

  it("maps data-model types to xsi:type values", () => {
    expect(xsdTypeOf("unsignedInt")).toBe("xsd:unsignedInt");
    expect(xsdTypeOf("xsd:dateTime")).toBe("xsd:dateTime");
    expect(xsdTypeOf("MACAddress")).toBe("xsd:string");
    expect(xsdTypeOf(undefined)).toBe("xsd:string");
  });
});

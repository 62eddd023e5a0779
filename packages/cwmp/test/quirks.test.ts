import { describe, expect, it } from "vitest";
import { decode, encode, parseDateTime } from "../src/index.ts";
import {
  DEVICE_ID,
  decodeInform,
  decodeOk,
  eventList,
  informBody,
  NS_1_0,
  parameterList,
  pvs,
  soap,
} from "./fixtures/envelopes.ts";

/** One test per quirk of real CPEs (../shared/cwmp-captures/SOURCES.md), on envelopes we wrote. */

describe("SOAP envelope and namespaces", () => {
  it("decodes an Inform without SOAP Header (Motorola VAP2404E, MikroTik)", () => {
    const envelope = decodeOk(soap(informBody(), null));
    expect(envelope.header).toEqual({});
    expect(envelope.message.type).toBe("Inform");
  });

  it("answers an Inform without SOAP Header with an InformResponse without Header", () => {
    const envelope = decodeOk(soap(informBody(), null));
    const xml = encode({ type: "InformResponse" }, { namespace: envelope.namespace, ...envelope.header });
    expect(xml).not.toContain("Header");
    expect(xml).not.toContain("cwmp:ID");
  });

  it("matches by namespace when the prefix 'soap' is bound to SOAP-ENC (Thomson)", () => {
    const xml =
      '<soapenv:Envelope soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" ' +
      'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap="http://schemas.xmlsoap.org/soap/encoding/" ' +
      `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="${NS_1_0}">` +
      '<soapenv:Header><cwmp:ID soapenv:mustUnderstand="1">7_THOM</cwmp:ID></soapenv:Header>' +
      "<soapenv:Body><cwmp:Inform>" +
      DEVICE_ID +
      '<Event soap:arrayType="cwmp:EventStruct[01]"><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct></Event>' +
      "<MaxEnvelopes>2</MaxEnvelopes><CurrentTime>1970-01-01T00:02:16Z</CurrentTime><RetryCount>00</RetryCount>" +
      '<ParameterList soap:arrayType="cwmp:ParameterValueStruct[01]">' +
      pvs("InternetGatewayDevice.DeviceInfo.SoftwareVersion", "7.4.1.7") +
      "</ParameterList></cwmp:Inform></soapenv:Body></soapenv:Envelope>";
    const envelope = decodeOk(xml);
    expect(envelope.header.id).toBe("7_THOM");
    expect(envelope.message).toMatchObject({ type: "Inform", maxEnvelopes: 2, retryCount: 0 });
  });

  it.each([
    ["SOAP-ENV", "SOAP-ENC"],
    ["soapenv", "soap"],
    ["soap_env", "soap_enc"],
    ["soap", "enc"],
    ["soap", "soap-enc"],
    ["s", "e"],
  ])("accepts the envelope prefix %s with encoding prefix %s", (env, enc) => {
    const xml =
      `<${env}:Envelope xmlns:${env}="http://schemas.xmlsoap.org/soap/envelope/" ` +
      `xmlns:${enc}="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:cwmp="${NS_1_0}">` +
      `<${env}:Body>${informBody({ event: `<Event ${enc}:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey/></EventStruct></Event>` })}</${env}:Body></${env}:Envelope>`;
    expect(decodeInform(xml).event).toEqual([{ eventCode: "1 BOOT", commandKey: "" }]);
  });

  it("accepts default namespaces for the envelope and the RPC, with qualified children", () => {
    const xml =
      '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header><ID xmlns="urn:dslforum-org:cwmp-1-1">9</ID></Header>' +
      '<Body><GetRPCMethodsResponse xmlns="urn:dslforum-org:cwmp-1-1"><MethodList><string>Inform</string></MethodList>' +
      "</GetRPCMethodsResponse></Body></Envelope>";
    const envelope = decodeOk(xml);
    expect(envelope).toMatchObject({ namespace: "urn:dslforum-org:cwmp-1-1", version: "1.1", header: { id: "9" } });
    expect(envelope.message).toEqual({ type: "GetRPCMethodsResponse", methodList: ["Inform"] });
  });

  it("does not match by prefix: a 'cwmp' prefix bound to a foreign namespace is not CWMP", () => {
    const xml =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:example:not-cwmp">' +
      `<soap:Body>${informBody()}</soap:Body></soap:Envelope>`;
    const result = decode(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("unknown-rpc");
  });

  it("scopes namespace declarations: a prefix rebound on one element reverts for its siblings", () => {
    const xml =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:example:other"><s:Header>' +
      '<c:ID xmlns:c="urn:dslforum-org:cwmp-1-1">5</c:ID><c:HoldRequests>1</c:HoldRequests></s:Header>' +
      `<s:Body><c:Inform xmlns:c="urn:dslforum-org:cwmp-1-1">${DEVICE_ID}</c:Inform></s:Body></s:Envelope>`;
    const envelope = decodeOk(xml);
    expect(envelope.header).toEqual({ id: "5" });
    expect(envelope.namespace).toBe("urn:dslforum-org:cwmp-1-1");
  });

  it("accepts single-quoted attributes (MikroTik)", () => {
    const xml =
      "<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:cwmp='urn:dslforum-org:cwmp-1-0' " +
      "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xmlns:xsd='http://www.w3.org/2001/XMLSchema' " +
      "xmlns:soapenc='http://schemas.xmlsoap.org/soap/encoding/'><soap:Body>" +
      informBody({
        parameterList:
          "<ParameterList soapenc:arrayType='cwmp:ParameterValueStruct[1]'>" +
          pvs("Device.X", "5", "xsd:unsignedInt").replace(/"/g, "'") +
          "</ParameterList>",
      }) +
      "</soap:Body></soap:Envelope>";
    expect(decodeInform(xml).parameterList).toEqual([{ name: "Device.X", value: "5", type: "xsd:unsignedInt" }]);
  });

  it("decodes a body without an XML declaration", () => {
    expect(soap(informBody()).startsWith("<SOAP-ENV:Envelope")).toBe(true);
    expect(decodeInform(soap(informBody())).deviceId.serialNumber).toBe("SN0001");
  });

  it("accepts an XML declaration followed by whitespace before the root element (easycwmp)", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n <!-- hello -->\n ${soap(informBody())}\n`;
    expect(decodeInform(xml).deviceId.oui).toBe("A1B2C3");
  });

  it("ignores encodingStyle on the Envelope (ZyXEL)", () => {
    const xml = soap(informBody()).replace(
      "<SOAP-ENV:Envelope ",
      '<SOAP-ENV:Envelope SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" ',
    );
    expect(decodeInform(xml).event[0]?.eventCode).toBe("2 PERIODIC");
  });

  it('ignores xsi:type="SOAP-ENC:Array" on arrays (Sagemcom)', () => {
    const list =
      '<ParameterList xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="cwmp:ParameterValueStruct[1]">' +
      pvs("Device.IP.Interface.2.IPv4Address.1.IPAddress", "2.110.222.109") +
      "</ParameterList>";
    const inform = decodeInform(soap(informBody({ parameterList: list })));
    expect(inform.parameterList).toEqual([
      { name: "Device.IP.Interface.2.IPv4Address.1.IPAddress", value: "2.110.222.109", type: "xsd:string" },
    ]);
  });

  it("accepts the SOAP 1.2 envelope namespace", () => {
    const xml =
      `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:cwmp="${NS_1_0}">` +
      `<env:Body>${informBody()}</env:Body></env:Envelope>`;
    expect(decodeInform(xml).deviceId.productClass).toBe("Router");
  });

  it("tolerates an undeclared xsi prefix on xsi:type", () => {
    const xml =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">' +
      `<soap:Body>${informBody({ parameterList: `<ParameterList>${pvs("Device.A", "1", "xsd:boolean")}</ParameterList>` })}</soap:Body></soap:Envelope>`;
    expect(decodeInform(xml).parameterList[0]?.type).toBe("xsd:boolean");
  });

  it("normalises xsi:type to xsd:<type> whatever prefix is bound to XML Schema", () => {
    const xml = soap(informBody({ parameterList: parameterList(pvs("Device.A", "7", "xs:unsignedInt")) })).replace(
      "<SOAP-ENV:Envelope ",
      '<SOAP-ENV:Envelope xmlns:xs="http://www.w3.org/2001/XMLSchema" ',
    );
    expect(decodeInform(xml).parameterList[0]?.type).toBe("xsd:unsignedInt");
  });

  it("refuses an Envelope in a foreign namespace as not-soap", () => {
    const result = decode('<Envelope xmlns="urn:example"><Body/></Envelope>');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("not-soap");
  });

  it("refuses a document that is not an Envelope as not-soap (a bare cwmp:Inform)", () => {
    const result = decode(`<cwmp:Inform xmlns:cwmp="${NS_1_0}">${DEVICE_ID}</cwmp:Inform>`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("not-soap");
  });
});

describe("SOAP-encoded arrays", () => {
  it("ignores zero-padded arrayType counts ([01], [0008])", () => {
    const list = `<ParameterList SOAP-ENC:arrayType="cwmp:ParameterValueStruct[0002]">${pvs("A.b", "1")}${pvs("A.c", "2")}</ParameterList>`;
    const event =
      '<Event SOAP-ENC:arrayType="cwmp:EventStruct[01]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey/></EventStruct></Event>';
    const inform = decodeInform(soap(informBody({ parameterList: list, event })));
    expect(inform.parameterList.map((p) => p.name)).toEqual(["A.b", "A.c"]);
    expect(inform.event).toHaveLength(1);
  });

  it("uses the real number of items when the declared arrayType count is wrong", () => {
    const list = `<ParameterList SOAP-ENC:arrayType="cwmp:ParameterValueStruct[5]">${pvs("A.b", "1")}${pvs("A.c", "2")}</ParameterList>`;
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList).toHaveLength(2);
    const fewer = `<ParameterList SOAP-ENC:arrayType="cwmp:ParameterValueStruct[1]">${pvs("A.b", "1")}${pvs("A.c", "2")}${pvs("A.d", "3")}</ParameterList>`;
    expect(decodeInform(soap(informBody({ parameterList: fewer }))).parameterList).toHaveLength(3);
  });

  it("reads a MethodList declared as string[09], without xsd prefix and zero-padded (Thomson)", () => {
    const names = ["GetRPCMethods", "GetParameterNames", "Reboot"];
    const xml = soap(
      `<cwmp:GetRPCMethodsResponse><MethodList SOAP-ENC:arrayType="string[09]">${names.map((n) => `<string>${n}</string>\r\n`).join("")}</MethodList></cwmp:GetRPCMethodsResponse>`,
    );
    expect(decodeOk(xml).message).toEqual({ type: "GetRPCMethodsResponse", methodList: names });
  });

  it("reads an AccessList declared as cwmp:string[01] (Thomson BANT-R)", () => {
    const xml = soap(
      '<cwmp:GetParameterAttributesResponse><ParameterList SOAP-ENC:arrayType="cwmp:ParameterAttributeStruct[01]">' +
        "<ParameterAttributeStruct><Name>InternetGatewayDevice.DeviceInfo.SerialNumber</Name><Notification>0</Notification>" +
        '<AccessList SOAP-ENC:arrayType="cwmp:string[01]"><string>subscriber</string></AccessList></ParameterAttributeStruct>' +
        "</ParameterList></cwmp:GetParameterAttributesResponse>",
    );
    expect(decodeOk(xml).message).toEqual({
      type: "GetParameterAttributesResponse",
      parameterList: [
        { name: "InternetGatewayDevice.DeviceInfo.SerialNumber", notification: 0, accessList: ["subscriber"] },
      ],
    });
  });

  it("reads an empty AccessList written as <AccessList /> (easycwmp)", () => {
    const xml = soap(
      "<cwmp:GetParameterAttributesResponse><ParameterList><ParameterAttributeStruct><Name>A.b</Name>" +
        "<Notification>2</Notification><AccessList /></ParameterAttributeStruct></ParameterList></cwmp:GetParameterAttributesResponse>",
    );
    expect(decodeOk(xml).message).toMatchObject({ parameterList: [{ name: "A.b", notification: 2, accessList: [] }] });
  });
});

describe("parameter names and values", () => {
  it("decodes a Value without xsi:type with type undefined (Thomson BANT-W)", () => {
    const inform = decodeInform(
      soap(informBody({ parameterList: parameterList(pvs("A.b", "Factory Defaults", null)) })),
    );
    expect(inform.parameterList).toEqual([{ name: "A.b", value: "Factory Defaults" }]);
    expect(inform.parameterList[0]?.type).toBeUndefined();
  });

  it('decodes a self-closing <Value xsi:type="xsd:string"/> as an empty string (Huawei HG8245H)', () => {
    const list = parameterList(
      '<ParameterValueStruct><Name>A.b</Name><Value xsi:type="xsd:string"/></ParameterValueStruct>',
    );
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList).toEqual([
      { name: "A.b", value: "", type: "xsd:string" },
    ]);
  });

  it("trims pretty-printing whitespace inside Name and Value (Thomson, genieacs#138)", () => {
    const list = parameterList(
      "<ParameterValueStruct>\n  <Name>\n    InternetGatewayDevice.DeviceInfo.SoftwareVersion\n  </Name>\n" +
        '  <Value xsi:type="xsd:string">\n    8.2.6.5\n  </Value>\n</ParameterValueStruct>',
    );
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList).toEqual([
      { name: "InternetGatewayDevice.DeviceInfo.SoftwareVersion", value: "8.2.6.5", type: "xsd:string" },
    ]);
  });

  it("keeps spaces that belong to a string value (no line break around them)", () => {
    const list = parameterList(pvs("Device.WiFi.SSID.1.SSID", " my wifi "));
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList[0]?.value).toBe(" my wifi ");
  });

  it("trims all whitespace around non-string values", () => {
    const list = parameterList(
      pvs("Device.DeviceInfo.UpTime", "  1234 ", "xsd:unsignedInt"),
      pvs("A.b", " true", "xsd:boolean"),
    );
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList.map((p) => p.value)).toEqual([
      "1234",
      "true",
    ]);
  });

  it("strips the leading dot of '.ExternalIPAddress' (Thomson SpeedTouch)", () => {
    const inform = decodeInform(
      soap(informBody({ parameterList: parameterList(pvs(".ExternalIPAddress", "10.0.0.2")) })),
    );
    expect(inform.parameterList[0]?.name).toBe("ExternalIPAddress");
  });

  it("removes line breaks inside a parameter name", () => {
    const name = "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.\n      1.WANPPPConnection.1.ExternalIPAddress";
    const inform = decodeInform(soap(informBody({ parameterList: parameterList(pvs(name, "194.175.125.104")) })));
    expect(inform.parameterList[0]?.name).toBe(
      "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.ExternalIPAddress",
    );
  });

  it("keeps an IPv6 literal ConnectionRequestURL and X_ vendor parameters verbatim (ZyXEL VMG8924)", () => {
    const list = parameterList(
      pvs("InternetGatewayDevice.ManagementServer.ConnectionRequestURL", "http://[2a02:980:1400::1ff]:30005/78DF621F"),
      pvs(
        "InternetGatewayDevice.WANDevice.2.WANConnectionDevice.1.WANIPConnection.2.X_5067F0_ExternalIPv6Address",
        "2a02:980:1400::1ff/64",
      ),
    );
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList.map((p) => p.value)).toEqual([
      "http://[2a02:980:1400::1ff]:30005/78DF621F",
      "2a02:980:1400::1ff/64",
    ]);
  });

  it("decodes the predefined entities and character references", () => {
    const list = parameterList(pvs("A.b", "&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; caf&#233; &#x41;&#x1F600;"));
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList[0]?.value).toBe(
      "<a> & \"q\" 's' café A😀",
    );
  });

  it("keeps a bare ampersand and undeclared entity references as literal text, expanding nothing", () => {
    const list = parameterList(pvs("A.b", "AT&T &nbsp; &xxe;"));
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList[0]?.value).toBe("AT&T &nbsp; &xxe;");
  });

  it("reads CDATA values", () => {
    const list = parameterList(pvs("A.b", "<![CDATA[<b>bold</b> & more]]>"));
    expect(decodeInform(soap(informBody({ parameterList: list }))).parameterList[0]?.value).toBe("<b>bold</b> & more");
  });
});

describe("numbers and dates", () => {
  it("reads zero-padded RetryCount '00' as 0 and '05' as 5 (Thomson)", () => {
    expect(decodeInform(soap(informBody({ retryCount: "00" }))).retryCount).toBe(0);
    expect(decodeInform(soap(informBody({ retryCount: "05" }))).retryCount).toBe(5);
    expect(decodeInform(soap(informBody({ retryCount: " 942 " }))).retryCount).toBe(942);
  });

  it("keeps MaxEnvelopes 2 as sent, while the InformResponse always says 1", () => {
    const envelope = decodeOk(soap(informBody({ maxEnvelopes: "2" })));
    expect(envelope.message).toMatchObject({ maxEnvelopes: 2 });
    expect(encode({ type: "InformResponse" }, { namespace: envelope.namespace })).toContain(
      "<MaxEnvelopes>1</MaxEnvelopes>",
    );
  });

  it("keeps an invalid CurrentTime '2019-03-05T11:54::14' as raw text (Cytco)", () => {
    const inform = decodeInform(soap(informBody({ currentTime: "2019-03-05T11:54::14" })));
    expect(inform.currentTime).toBe("2019-03-05T11:54::14");
    expect(parseDateTime(inform.currentTime)).toBeUndefined();
  });

  it("keeps an xsd:dateTime Value '0000-00-00T00:00:00' as raw text (Thomson VendorConfigFile Date)", () => {
    const list = parameterList(
      pvs("InternetGatewayDevice.DeviceInfo.VendorConfigFile.1.Date", "0000-00-00T00:00:00", "xsd:dateTime"),
    );
    const value = decodeInform(soap(informBody({ parameterList: list }))).parameterList[0];
    expect(value).toEqual({
      name: "InternetGatewayDevice.DeviceInfo.VendorConfigFile.1.Date",
      value: "0000-00-00T00:00:00",
      type: "xsd:dateTime",
    });
    expect(parseDateTime("0000-00-00T00:00:00")).toBeUndefined();
  });

  it("reads a CurrentTime without time zone as UTC (ZyXEL P-2601HN)", () => {
    const inform = decodeInform(soap(informBody({ currentTime: "2015-01-19T23:08:24" })));
    expect(parseDateTime(inform.currentTime)?.toISOString()).toBe("2015-01-19T23:08:24.000Z");
  });

  it("reads +01:00 and -07:00 offsets (Sagemcom, Motorola)", () => {
    expect(parseDateTime("2016-01-31T13:28:09+01:00")?.toISOString()).toBe("2016-01-31T12:28:09.000Z");
    expect(parseDateTime("2015-09-22T05:04:58-07:00")?.toISOString()).toBe("2015-09-22T12:04:58.000Z");
  });

  it("reads a 1970 CurrentTime from a CPE whose clock is unset (Thomson SpeedTouch)", () => {
    const inform = decodeInform(soap(informBody({ currentTime: "1970-01-01T03:18:53Z" })));
    expect(parseDateTime(inform.currentTime)?.getTime()).toBe(((3 * 60 + 18) * 60 + 53) * 1000);
  });

  it("reads fractional seconds '2026-11-24T08:39:10.978435' (Python CPE client)", () => {
    expect(parseDateTime("2026-11-24T08:39:10.978435")?.toISOString()).toBe("2026-11-24T08:39:10.978Z");
  });

  it("reads a TransferComplete with FaultCode 9015 and the unknown time 0001-01-01T00:00:00Z (genieacs#171)", () => {
    const xml = soap(
      "<cwmp:TransferComplete><CommandKey>fw-1</CommandKey><FaultStruct><FaultCode>9015</FaultCode>" +
        "<FaultString>Download failure: unable to contact file server</FaultString></FaultStruct>" +
        "<StartTime>0001-01-01T00:00:00Z</StartTime><CompleteTime>0001-01-01T00:00:00Z</CompleteTime></cwmp:TransferComplete>",
    );
    expect(decodeOk(xml).message).toEqual({
      type: "TransferComplete",
      commandKey: "fw-1",
      faultStruct: { faultCode: 9015, faultString: "Download failure: unable to contact file server" },
      startTime: "0001-01-01T00:00:00Z",
      completeTime: "0001-01-01T00:00:00Z",
    });
    expect(parseDateTime("0001-01-01T00:00:00Z")?.getUTCFullYear()).toBe(1);
  });

  it("rejects an Inform whose RetryCount is not a number as invalid-rpc", () => {
    const result = decode(soap(informBody({ retryCount: "many" })));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "invalid-rpc", rpc: "Inform", id: "42" });
  });
});

describe("device identity and events", () => {
  it("upper-cases a lower-case OUI (Cytco 00a859)", () => {
    const deviceId = DEVICE_ID.replace("A1B2C3", "00a859");
    expect(decodeInform(soap(informBody({ deviceId }))).deviceId.oui).toBe("00A859");
  });

  it.each([
    ["1 Boot", "1 BOOT"],
    ["0 bootstrap", "0 BOOTSTRAP"],
    ["m reboot", "M Reboot"],
    ["M SCHEDULEINFORM", "M ScheduleInform"],
    ["6  connection   request", "6 CONNECTION REQUEST"],
    [" 4 VALUE CHANGE\n", "4 VALUE CHANGE"],
  ])("normalises the event code %j to %j", (sent, canonical) => {
    expect(decodeInform(soap(informBody({ event: eventList(sent) }))).event[0]?.eventCode).toBe(canonical);
  });

  it("keeps vendor event codes as sent", () => {
    expect(decodeInform(soap(informBody({ event: eventList("X 00D09E Custom") }))).event[0]?.eventCode).toBe(
      "X 00D09E Custom",
    );
  });

  it("reads <CommandKey /> as an empty command key (easycwmp, IPHOTONIX)", () => {
    const event =
      '<Event SOAP-ENC:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>0 BOOTSTRAP</EventCode><CommandKey /></EventStruct></Event>';
    expect(decodeInform(soap(informBody({ event }))).event).toEqual([{ eventCode: "0 BOOTSTRAP", commandKey: "" }]);
  });

  it("reads '7 TRANSFER COMPLETE' with 'M Download' and its CommandKey (MikroTik)", () => {
    const event =
      '<Event SOAP-ENC:arrayType="cwmp:EventStruct[2]"><EventStruct><EventCode>7 TRANSFER COMPLETE</EventCode><CommandKey></CommandKey></EventStruct>' +
      "<EventStruct><EventCode>M Download</EventCode><CommandKey>fw-upgrade-7</CommandKey></EventStruct></Event>";
    expect(decodeInform(soap(informBody({ event }), null)).event).toEqual([
      { eventCode: "7 TRANSFER COMPLETE", commandKey: "" },
      { eventCode: "M Download", commandKey: "fw-upgrade-7" },
    ]);
  });

  it("reads EventStruct[03] with '10 AUTONOMOUS TRANSFER COMPLETE' and MaxEnvelopes 2 (IPHOTONIX)", () => {
    const event = eventList("1 BOOT", "10 AUTONOMOUS TRANSFER COMPLETE", "2 PERIODIC").replace("[3]", "[03]");
    const inform = decodeInform(soap(informBody({ event, maxEnvelopes: "2" })));
    expect(inform.event.map((e) => e.eventCode)).toEqual(["1 BOOT", "10 AUTONOMOUS TRANSFER COMPLETE", "2 PERIODIC"]);
    expect(inform.maxEnvelopes).toBe(2);
  });

  it("reads Inform fields in any order (AVM puts MaxEnvelopes, CurrentTime, RetryCount before Event)", () => {
    const body =
      `<cwmp:Inform>${DEVICE_ID}<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2007-01-26T10:33:12</CurrentTime>` +
      `<RetryCount>0</RetryCount>${eventList("0 BOOTSTRAP")}${parameterList(pvs("A.b", "1"))}</cwmp:Inform>`;
    expect(decodeInform(soap(body))).toMatchObject({
      currentTime: "2007-01-26T10:33:12",
      event: [{ eventCode: "0 BOOTSTRAP" }],
      parameterList: [{ name: "A.b" }],
    });
  });

  it("reads elements glued on one line with odd whitespace and CRLF line ends (Thomson BANT-R)", () => {
    const body =
      "<cwmp:Inform><DeviceId> <Manufacturer>THOMSON</Manufacturer>\r\n <OUI>00147F</OUI>\r\n <ProductClass>SpeedTouch 780</ProductClass>\r\n" +
      " <SerialNumber>CP0644JTHJ4</SerialNumber>\r\n</DeviceId>\r\n" +
      '<Event SOAP-ENC:arrayType="cwmp:EventStruct[01]"><EventStruct> <EventCode>2 PERIODIC</EventCode>\r\n <CommandKey></CommandKey>\r\n</EventStruct>\r\n</Event>\r\n' +
      "<MaxEnvelopes>2</MaxEnvelopes>\r\n<CurrentTime>1970-01-01T00:02:16Z</CurrentTime>\r\n<RetryCount>00</RetryCount>\r\n" +
      '<ParameterList SOAP-ENC:arrayType="cwmp:ParameterValueStruct[08]"><ParameterValueStruct> <Name>.ExternalIPAddress</Name>\r\n' +
      ' <Value xsi:type="xsd:string">10.0.0.2</Value>\r\n</ParameterValueStruct>\r\n     <ParameterValueStruct>      <Name>InternetGatewayDevice.DeviceInfo.HardwareVersion</Name>\r\n' +
      '      <Value xsi:type="xsd:string">BANT-R</Value>\r\n</ParameterValueStruct>\r\n</ParameterList>\r\n</cwmp:Inform>';
    const inform = decodeInform(soap(body));
    expect(inform.deviceId).toEqual({
      manufacturer: "THOMSON",
      oui: "00147F",
      productClass: "SpeedTouch 780",
      serialNumber: "CP0644JTHJ4",
    });
    expect(inform.parameterList).toEqual([
      { name: "ExternalIPAddress", value: "10.0.0.2", type: "xsd:string" },
      { name: "InternetGatewayDevice.DeviceInfo.HardwareVersion", value: "BANT-R", type: "xsd:string" },
    ]);
  });

  it("reports invalid-rpc for an Inform without DeviceId", () => {
    const result = decode(soap("<cwmp:Inform><MaxEnvelopes>1</MaxEnvelopes></cwmp:Inform>"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "invalid-rpc", rpc: "Inform" });
  });
});

describe("SOAP header", () => {
  it("reads NoMoreRequests from a CWMP 1.0 header (Thomson BANT-S)", () => {
    const header =
      '<cwmp:ID SOAP-ENV:mustUnderstand="1">THOM_CPE_ALC_ID_9</cwmp:ID><cwmp:NoMoreRequests SOAP-ENV:mustUnderstand="0">1</cwmp:NoMoreRequests>';
    expect(decodeOk(soap(informBody(), header)).header).toEqual({ id: "THOM_CPE_ALC_ID_9", noMoreRequests: true });
  });

  it("reads HoldRequests, SessionTimeout and SupportedCWMPVersions", () => {
    const header =
      "<cwmp:ID>1</cwmp:ID><cwmp:HoldRequests>0</cwmp:HoldRequests><cwmp:SessionTimeout>60</cwmp:SessionTimeout>" +
      "<cwmp:SupportedCWMPVersions>1.0,1.1,1.2,1.3,1.4</cwmp:SupportedCWMPVersions>";
    expect(decodeOk(soap(informBody(), header)).header).toEqual({
      id: "1",
      holdRequests: false,
      sessionTimeout: 60,
      supportedCwmpVersions: "1.0,1.1,1.2,1.3,1.4",
    });
  });

  it("ignores unreadable header values instead of failing the message", () => {
    const header =
      "<cwmp:ID>1</cwmp:ID><cwmp:HoldRequests>maybe</cwmp:HoldRequests><cwmp:SessionTimeout>soon</cwmp:SessionTimeout>";
    expect(decodeOk(soap(informBody(), header)).header).toEqual({ id: "1" });
  });
});

describe("faults from the CPE", () => {
  it("reads a Fault whose faultcode is 'Client' without prefix (Thomson)", () => {
    const xml = soap(
      "<SOAP-ENV:Fault>   <faultcode>Client</faultcode>\r\n<faultstring>CWMP fault</faultstring>\r\n<detail>    <cwmp:Fault>" +
        "     <FaultCode>9001</FaultCode>\r\n<FaultString>Request Denied</FaultString>\r\n</cwmp:Fault>\r\n</detail>\r\n</SOAP-ENV:Fault>",
    );
    expect(decodeOk(xml).message).toEqual({ type: "Fault", faultCode: 9001, faultString: "Request Denied" });
  });

  it("reads SetParameterValuesFault entries (easycwmp)", () => {
    const xml = soap(
      "<SOAP-ENV:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault>" +
        "<FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>" +
        "<SetParameterValuesFault><ParameterName>A.b</ParameterName><FaultCode>9008</FaultCode><FaultString>Attempt to set a non-writable parameter</FaultString></SetParameterValuesFault>" +
        "<SetParameterValuesFault><ParameterName>A.c</ParameterName><FaultCode>9007</FaultCode><FaultString>Invalid parameter value</FaultString></SetParameterValuesFault>" +
        "</cwmp:Fault></detail></SOAP-ENV:Fault>",
    );
    expect(decodeOk(xml).message).toEqual({
      type: "Fault",
      faultCode: 9003,
      faultString: "Invalid arguments",
      setParameterValuesFault: [
        { parameterName: "A.b", faultCode: 9008, faultString: "Attempt to set a non-writable parameter" },
        { parameterName: "A.c", faultCode: 9007, faultString: "Invalid parameter value" },
      ],
    });
  });

  it("takes the cwmp namespace of a Fault from its detail", () => {
    const xml =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode>' +
      '<faultstring>CWMP fault</faultstring><detail><c:Fault xmlns:c="urn:dslforum-org:cwmp-1-2"><FaultCode>9002</FaultCode>' +
      "<FaultString>Internal error</FaultString></c:Fault></detail></s:Fault></s:Body></s:Envelope>";
    expect(decodeOk(xml)).toMatchObject({ namespace: "urn:dslforum-org:cwmp-1-2", version: "1.2" });
  });

  it("reads a cwmp:Fault placed directly in Body", () => {
    const xml = soap(
      "<cwmp:Fault><FaultCode>9000</FaultCode><FaultString>Method not supported</FaultString></cwmp:Fault>",
    );
    expect(decodeOk(xml).message).toEqual({ type: "Fault", faultCode: 9000, faultString: "Method not supported" });
  });

  it("reports a SOAP Fault without CWMP detail as invalid-rpc", () => {
    const result = decode(
      soap("<SOAP-ENV:Fault><faultcode>Server</faultcode><faultstring>Out of memory</faultstring></SOAP-ENV:Fault>"),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("Out of memory");
  });
});

describe("character sets and HTTP headers", () => {
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const informWithValue = (value: string) =>
    soap(informBody({ parameterList: parameterList(pvs("Device.DeviceInfo.Description", value)) }));

  it("decodes ISO-8859-1 bytes when Content-Type says charset=ISO-8859-1 (Thomson)", () => {
    const body = latin1(informWithValue("Modem Café"));
    expect(body.includes(0xe9)).toBe(true);
    const inform = decodeInform(body, { "Content-Type": "text/xml; charset=ISO-8859-1", SOAPAction: "" });
    expect(inform.parameterList[0]?.value).toBe("Modem Café");
  });

  it("decodes ISO-8859-1 bytes when the XML declaration says encoding='ISO-8859-1'", () => {
    const body = latin1(`<?xml version='1.0' encoding='ISO-8859-1'?>${informWithValue("Größe")}`);
    expect(decodeInform(body, { "content-type": "text/xml" }).parameterList[0]?.value).toBe("Größe");
  });

  it('reads a quoted charset, text/xml; charset="utf-8" (easycwmp)', () => {
    const body = new TextEncoder().encode(informWithValue("Zürich ✓"));
    expect(decodeInform(body, { "content-type": 'text/xml; charset="utf-8"' }).parameterList[0]?.value).toBe(
      "Zürich ✓",
    );
  });

  it("falls back to ISO-8859-1 for bytes that are not valid UTF-8", () => {
    const body = latin1(informWithValue("Café"));
    expect(decodeInform(body, { "content-type": "text/xml; charset=utf-8" }).parameterList[0]?.value).toBe("Café");
  });

  it("decodes UTF-8 bytes with a byte order mark", () => {
    const text = new TextEncoder().encode(informWithValue("naïve"));
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...text]);
    expect(decodeInform(body).parameterList[0]?.value).toBe("naïve");
  });

  it("ignores RFC 2109 cookies, SOAPAction (empty or cwmp:Inform) and a text/html content type", () => {
    const body = new TextEncoder().encode(informWithValue("x"));
    const headers = {
      Cookie: '$Version="0"; ID=218_THOM_TR69_ID;$Path=/',
      SOAPAction: "cwmp:Inform",
      "content-type": 'text/html; charset="utf-8"',
      expect: "100-continue",
    };
    expect(decodeInform(body, headers).parameterList[0]?.value).toBe("x");
  });

  it("reads a Content-Type header given as an array of values", () => {
    const body = latin1(informWithValue("é"));
    expect(decodeInform(body, { "content-type": ["text/xml; charset=iso-8859-1"] }).parameterList[0]?.value).toBe("é");
  });
});

describe("empty messages and other framing", () => {
  it.each([
    ["an empty string", ""],
    ["whitespace only", " \r\n\t "],
    ["empty bytes", new Uint8Array()],
    ["a NUL byte", "\u0000"],
  ])("decodes %s as Empty: the CPE has no more requests", (_label, body) => {
    expect(decodeOk(body)).toEqual({ namespace: "", version: "", header: {}, message: { type: "Empty" } });
  });

  it("decodes an Envelope with an empty Body as Empty", () => {
    expect(decodeOk(soap("")).message).toEqual({ type: "Empty" });
  });

  it("decodes GetRPCMethods sent by the CPE as <cwmp:GetRPCMethods /> (easycwmp, honeyclient)", () => {
    expect(decodeOk(soap("<cwmp:GetRPCMethods />")).message).toEqual({ type: "GetRPCMethods" });
  });

  it("ignores trailing NUL bytes after the envelope (C stacks)", () => {
    expect(decodeInform(`${soap(informBody())}\u0000\u0000`).deviceId.serialNumber).toBe("SN0001");
  });

  it("reports unknown-rpc with the method name and cwmp:ID, so the ACS can answer 8000", () => {
    const result = decode(soap("<cwmp:X_ACME_Frobnicate><Level>3</Level></cwmp:X_ACME_Frobnicate>"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({
        code: "unknown-rpc",
        rpc: "X_ACME_Frobnicate",
        id: "42",
        namespace: NS_1_0,
      });
    }
  });

  it("reports an ACS request sent by a CPE as unknown-rpc", () => {
    const result = decode(soap("<cwmp:Reboot><CommandKey>x</CommandKey></cwmp:Reboot>"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("unknown-rpc");
  });

  it("fails a damaged fragment like the c't article's ('</ Value=\"Value\">') with malformed-xml", () => {
    const fragment =
      '<cwmp:Inform><ParameterList><ParameterValueStruct><Name>A.b</Name><Value xsi:type="xsd:string">29.05.01</ Value="Value">' +
      "</ParameterValueStruct></ParameterList></cwmp:Inform>";
    const result = decode(fragment);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("malformed-xml");
  });
});

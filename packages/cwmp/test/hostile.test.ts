import { describe, expect, it } from "vitest";
import { type DecodeErrorCode, type DecodeResult, decode, decodeAcs } from "../src/index.ts";
import { informBody, parameterList, pvs, soap } from "./fixtures/envelopes.ts";

/** Input from the Internet: refused quickly and cleanly, never expanded, never thrown. */

function expectError(result: DecodeResult<unknown>, code: DecodeErrorCode): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
${soap(informBody({ parameterList: parameterList(pvs("A.b", "&lol9;")) }))}`;

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
${soap(informBody({ parameterList: parameterList(pvs("A.b", "&xxe;")) }))}`;

describe("hostile input", () => {
  it("refuses a billion-laughs XML bomb as hostile in under 50 ms", () => {
    decode(soap(informBody())); // warm up the code path so the timing measures the refusal
    const { value, ms } = timed(() => decode(BILLION_LAUGHS));
    expectError(value, "hostile");
    expect(ms).toBeLessThan(50);
  });

  it("refuses an external entity (XXE) as hostile in under 50 ms, reading no file", () => {
    const { value, ms } = timed(() => decode(EXTERNAL_ENTITY));
    expectError(value, "hostile");
    if (!value.ok) expect(value.error.message).not.toContain("root:");
    expect(ms).toBeLessThan(50);
  });

  it("refuses a DOCTYPE without internal subset and a stray ENTITY declaration", () => {
    expectError(decode(`<!DOCTYPE Envelope SYSTEM "http://evil.example/x.dtd">${soap(informBody())}`), "hostile");
    expectError(decode(soap(`<!ENTITY x "y">${informBody()}`)), "hostile");
    expectError(decodeAcs(`<!DOCTYPE x>${soap("<cwmp:Reboot/>")}`), "hostile");
  });

  it("reads a DOCTYPE or ENTITY written inside a comment or a CDATA section as the text it is", () => {
    const xml = soap(
      `<!-- <!DOCTYPE x> -->${informBody({ parameterList: parameterList(pvs("A.b", "<![CDATA[<!ENTITY x 'y'>]]>")) })}`,
    );
    const result = decode(xml);
    expect(result.ok).toBe(true);
    if (result.ok && result.envelope.message.type === "Inform") {
      expect(result.envelope.message.parameterList[0]?.value).toBe("<!ENTITY x 'y'>");
    }
  });

  it("refuses an element named __proto__ as hostile", () => {
    expectError(decode(soap("<cwmp:GetRPCMethods><__proto__/></cwmp:GetRPCMethods>")), "hostile");
  });

  it("refuses nesting deeper than 64 levels as hostile", () => {
    const depth = 100_000;
    const xml = soap(`<cwmp:Inform>${"<a>".repeat(depth)}${"</a>".repeat(depth)}</cwmp:Inform>`);
    const { value, ms } = timed(() => decode(xml));
    expectError(value, "hostile");
    expect(ms).toBeLessThan(1000);
  });

  it("accepts nesting up to the limit", () => {
    const xml = soap(`<cwmp:GetRPCMethods>${"<a>".repeat(50)}${"</a>".repeat(50)}</cwmp:GetRPCMethods>`);
    expect(decode(xml).ok).toBe(true);
  });

  it("refuses more than 200,000 elements as too-large", () => {
    const xml = soap(
      `<cwmp:GetRPCMethodsResponse><MethodList>${"<string/>".repeat(250_000)}</MethodList></cwmp:GetRPCMethodsResponse>`,
    );
    expectError(decode(xml), "too-large");
    expect(decode(xml, undefined, { maxElements: 300_000 }).ok).toBe(true);
  });

  it("refuses an element with thousands of attributes or namespace declarations as hostile", () => {
    const attributes = Array.from({ length: 5000 }, (_, k) => `xmlns:p${k}="urn:x:${k}"`).join(" ");
    expectError(decode(soap(`<cwmp:GetRPCMethods ${attributes}/>`)), "hostile");
  });

  it("resolves prefixes in constant time however many declarations are in scope", () => {
    const declarations = (level: number) =>
      Array.from({ length: 250 }, (_, k) => `xmlns:p${k}="urn:x:${level}:${k}"`).join(" ");
    let open = "";
    let close = "";
    for (let level = 0; level < 60; level++) {
      open += `<n${level} ${declarations(level)}>`;
      close = `</n${level}>${close}`;
    }
    const xml = soap(`<cwmp:GetRPCMethods>${open}${"<unbound:x/>".repeat(150_000)}${close}</cwmp:GetRPCMethods>`);
    const { value, ms } = timed(() => decode(xml));
    expect(value.ok).toBe(true);
    expect(ms).toBeLessThan(10_000); // generous: only a quadratic lookup would come near it
  });

  it("refuses a 50 MB body as too-large without parsing it", () => {
    const huge = "<".repeat(50 * 1024 * 1024);
    const { value, ms } = timed(() => decode(huge));
    expectError(value, "too-large");
    expect(ms).toBeLessThan(50);
    const bytes = new Uint8Array(50 * 1024 * 1024);
    expectError(decode(bytes), "too-large");
    expectError(decodeAcs(bytes), "too-large");
  });

  it("honours a smaller maxBytes option", () => {
    expectError(decode(soap(informBody()), undefined, { maxBytes: 100 }), "too-large");
  });

  it("stays linear on text full of ampersands without semicolons", () => {
    const value = "&".repeat(2_000_000);
    const { value: result, ms } = timed(() =>
      decode(soap(informBody({ parameterList: parameterList(pvs("A.b", value)) }))),
    );
    expect(result.ok).toBe(true);
    expect(ms).toBeLessThan(10_000); // generous: only a quadratic scan would come near it
  });

  it.each([
    ["an unclosed element", soap("<cwmp:Inform>")],
    ["mismatched tags", soap("<cwmp:Inform></cwmp:Informx>")],
    ["an unterminated comment", `${soap("")}<!-- `],
    ["an unquoted attribute", "<soap:Envelope xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/></soap:Envelope>"],
    ["two root elements", `${soap("")}${soap("")}`],
    ["text after the root", `${soap("")} trailing`],
    ["'<' inside an attribute", '<a b="<"/>'],
    ["plain text", "hello"],
    ["a lone '<'", "<"],
    ["an end tag nothing opened", `${soap("")}</extra>`],
    ["a repeated attribute", soap('<cwmp:GetRPCMethods a="1" a="2"/>')],
    ["an unterminated CDATA section", soap("<cwmp:Inform><![CDATA[x")],
    ["an unterminated processing instruction", `<?xml version="1.0"${soap("")}`],
  ])("fails %s with malformed-xml", (_label, xml) => {
    expectError(decode(xml), "malformed-xml");
  });

  it("never throws, whatever prefix of a valid message it gets", () => {
    const xml = soap(
      informBody({ parameterList: parameterList(pvs("A.b", "x &amp; y"), pvs("A.c", "<![CDATA[z]]>")) }),
    );
    for (let end = 0; end <= xml.length; end++) {
      expect(() => decode(xml.slice(0, end))).not.toThrow();
    }
  });

  it("never throws on bytes flipped anywhere in a valid message", () => {
    const bytes = new TextEncoder().encode(soap(informBody()));
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 2000; round++) {
      const copy = bytes.slice();
      for (let k = 0; k < 3; k++) copy[random() % copy.length] = random() % 256;
      expect(() => decode(copy)).not.toThrow();
      expect(() => decodeAcs(copy)).not.toThrow();
    }
  });
});

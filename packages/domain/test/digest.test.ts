import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { digestHa1, digestResponseMatches, nonceCount, parseAuthorization } from "../src/cpe-auth/digest.ts";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

describe("HTTP Digest", () => {
  // The header shape libcurl-based CPEs (easycwmp) send: unquoted nc and qop, opaque echoed.
  const header =
    'Digest username="cpe-1", realm="Beacon CWMP", nonce="223d55f0323afa43", uri="/acs", ' +
    'cnonce="MTAzMzdh", nc=00000001, qop=auth, response="RESPONSE", opaque="beacon"';

  it("parses quoted and unquoted parameters", () => {
    const parsed = parseAuthorization(header);
    expect(parsed).toMatchObject({
      scheme: "Digest",
      username: "cpe-1",
      params: {
        realm: "Beacon CWMP",
        nonce: "223d55f0323afa43",
        uri: "/acs",
        nc: "00000001",
        qop: "auth",
        opaque: "beacon",
      },
    });
    expect(parseAuthorization('Digest username="a\\"b", realm="r"')).toMatchObject({ username: 'a"b' });
    expect(parseAuthorization(`Basic ${Buffer.from("u:p:w").toString("base64")}`)).toEqual({
      scheme: "Basic",
      username: "u",
      password: "p:w",
    });
    expect(parseAuthorization("Bearer x")).toBeNull();
    expect(parseAuthorization(undefined)).toBeNull();
  });

  it("checks a qop=auth response (RFC 7616 3.4.1) and a legacy one without qop (RFC 2069)", () => {
    const ha1 = digestHa1("MD5", "cpe-1", "Beacon CWMP", "secret");
    expect(ha1).toBe(md5("cpe-1:Beacon CWMP:secret"));
    const ha2 = md5("POST:/acs");
    const parsed = parseAuthorization(header);
    if (parsed?.scheme !== "Digest") throw new Error("not a Digest header");
    const params = { ...parsed.params };
    params.response = md5(`${ha1}:223d55f0323afa43:00000001:MTAzMzdh:auth:${ha2}`);
    expect(digestResponseMatches({ method: "POST", params, ha1, algorithm: "MD5" })).toBe(true);
    expect(digestResponseMatches({ method: "GET", params, ha1, algorithm: "MD5" })).toBe(false);
    expect(nonceCount(params)).toBe(1);

    const legacy = { nonce: "n", uri: "/", response: md5(`${ha1}:n:${md5("POST:/")}`) };
    expect(digestResponseMatches({ method: "POST", params: legacy, ha1, algorithm: "MD5" })).toBe(true);
    expect(nonceCount(legacy)).toBe(1);
  });

  it("checks SHA-256 responses", () => {
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    const ha1 = digestHa1("SHA-256", "u", "Beacon CWMP", "p");
    const params = { nonce: "n", uri: "/", qop: "auth", nc: "0000000a", cnonce: "c", algorithm: "SHA-256" } as Record<
      string,
      string
    >;
    params.response = sha(`${ha1}:n:0000000a:c:auth:${sha("POST:/")}`);
    expect(digestResponseMatches({ method: "POST", params, ha1, algorithm: "SHA-256" })).toBe(true);
    expect(nonceCount(params)).toBe(10);
  });
});

import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { gzipSync } from "node:zlib";
import {
  type AcsMessage,
  type CpeMessage,
  decodeAcs,
  encodeCpe,
  type Inform,
  type ParameterValueStruct,
} from "@beacon/cwmp";

/**
 * A small CPE for ingress tests: real HTTP on one keep-alive connection, cookies, Digest authentication
 * (MD5 or SHA-256, qop=auth) with nonce counts, and the codec for its messages.
 */
export interface TestCpeOptions {
  oui?: string;
  productClass?: string;
  serialNumber?: string;
  manufacturer?: string;
  username?: string;
  password?: string;
  algorithm?: "MD5" | "SHA-256";
  namespace?: string;
  path?: string;
  /** Leave out cookies, as some CPEs do. */
  cookies?: boolean;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Each WWW-Authenticate header on its own (Node joins repeated ones with commas). */
  challenges: string[];
  body: string;
}

export interface CwmpResult extends HttpResult {
  message: AcsMessage | null;
  id?: string;
}

interface DigestState {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: "MD5" | "SHA-256";
  nc: number;
}

export class TestCpe {
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
  readonly namespace: string;
  username?: string;
  password?: string;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly jar = new Map<string, string>();
  private digest: DigestState | null = null;
  private messageId = 0;

  constructor(
    public baseUrl: string,
    private readonly options: TestCpeOptions = {},
  ) {
    this.oui = options.oui ?? "00D09E";
    this.productClass = options.productClass ?? "TestBox";
    this.serialNumber = options.serialNumber ?? `SN${randomBytes(4).toString("hex").toUpperCase()}`;
    this.namespace = options.namespace ?? "urn:dslforum-org:cwmp-1-2";
    this.username = options.username;
    this.password = options.password;
  }

  informMessage(events: string[] = ["1 BOOT"], parameters: ParameterValueStruct[] = []): Inform {
    const root = "InternetGatewayDevice";
    return {
      type: "Inform",
      deviceId: {
        manufacturer: this.options.manufacturer ?? "Beacon Test",
        oui: this.oui,
        productClass: this.productClass,
        serialNumber: this.serialNumber,
      },
      event: events.map((eventCode) => ({ eventCode, commandKey: "" })),
      maxEnvelopes: 1,
      currentTime: new Date().toISOString(),
      retryCount: 0,
      parameterList: [
        { name: `${root}.DeviceSummary`, value: "InternetGatewayDevice:1.4[](Baseline:1)", type: "xsd:string" },
        { name: `${root}.DeviceInfo.SoftwareVersion`, value: "1.2.3", type: "xsd:string" },
        { name: `${root}.DeviceInfo.HardwareVersion`, value: "HW1", type: "xsd:string" },
        { name: `${root}.ManagementServer.ConnectionRequestURL`, value: "http://127.0.0.1:1/cr", type: "xsd:string" },
        { name: `${root}.ManagementServer.ParameterKey`, value: "", type: "xsd:string" },
        // As most stacks send it; one that does not is asked for it once (tested in cpe-stacks.test.ts).
        { name: `${root}.ManagementServer.PeriodicInformInterval`, value: "3600", type: "xsd:unsignedInt" },
        ...parameters,
      ],
    };
  }

  inform(events?: string[], parameters?: ParameterValueStruct[]): Promise<CwmpResult> {
    return this.send(this.informMessage(events, parameters));
  }

  /** Sends one CWMP message (Empty for the empty POST) and decodes the answer. */
  async send(
    message: CpeMessage,
    options: { id?: string; headers?: Record<string, string> } = {},
  ): Promise<CwmpResult> {
    const id = options.id ?? (message.type === "Empty" ? undefined : `cpe-${++this.messageId}`);
    const xml = encodeCpe(message, { namespace: this.namespace, ...(id === undefined ? {} : { id }) });
    const result = await this.post(xml, options.headers);
    return { ...result, ...this.decodeResult(result) };
  }

  /** The answer to an ACS request: echoes the request's cwmp:ID. */
  answer(request: CwmpResult, message: CpeMessage): Promise<CwmpResult> {
    return this.send(message, { id: request.id });
  }

  decodeResult(result: HttpResult): { message: AcsMessage | null; id?: string } {
    if (!result.body) return { message: result.status === 204 ? { type: "Empty" } : null };
    const decoded = decodeAcs(result.body);
    if (!decoded.ok) return { message: null };
    return { message: decoded.envelope.message, id: decoded.envelope.header.id };
  }

  /** POSTs a body, answering one Digest challenge with this CPE's credentials. */
  async post(body: string | Buffer, headers: Record<string, string> = {}): Promise<HttpResult> {
    const first = await this.request(body, headers);
    if (first.status !== 401 || !this.username) return first;
    const challenge = pickChallenge(first.challenges, this.options.algorithm ?? "MD5");
    if (!challenge) return first;
    this.digest = { ...challenge, nc: 0 };
    return this.request(body, headers);
  }

  /** One HTTP request, no retry; sends Authorization when a nonce is known. */
  request(body: string | Buffer, headers: Record<string, string> = {}): Promise<HttpResult> {
    const path = this.options.path ?? "/";
    const allHeaders: Record<string, string> = {
      "content-type": 'text/xml; charset="utf-8"',
      soapaction: "",
      ...headers,
    };
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    if (cookie && this.options.cookies !== false) allHeaders.cookie = cookie;
    if (this.digest && this.username && this.password) {
      allHeaders.authorization = this.authorization("POST", path);
    }
    return rawRequest(this.baseUrl, { method: "POST", path, headers: allHeaders, body, agent: this.agent }).then(
      (r) => {
        this.keepCookies(r.headers["set-cookie"]);
        return r;
      },
    );
  }

  /** The Authorization header for the next request, with the nonce count incremented. */
  authorization(method: string, uri: string): string {
    const d = this.digest!;
    d.nc += 1;
    const nc = d.nc.toString(16).padStart(8, "0");
    const cnonce = randomBytes(8).toString("hex");
    const h = (s: string) =>
      createHash(d.algorithm === "MD5" ? "md5" : "sha256")
        .update(s)
        .digest("hex");
    const ha1 = h(`${this.username}:${d.realm}:${this.password}`);
    const response = h(`${ha1}:${d.nonce}:${nc}:${cnonce}:auth:${h(`${method}:${uri}`)}`);
    return (
      `Digest username="${this.username}", realm="${d.realm}", nonce="${d.nonce}", uri="${uri}", ` +
      `algorithm=${d.algorithm}, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"` +
      (d.opaque ? `, opaque="${d.opaque}"` : "")
    );
  }

  forgetNonce(): void {
    this.digest = null;
  }

  setDigestState(state: DigestState | null): void {
    this.digest = state && { ...state };
  }

  digestState(): DigestState | null {
    return this.digest && { ...this.digest };
  }

  cookieJar(): Map<string, string> {
    return this.jar;
  }

  private keepCookies(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

function pickChallenge(lines: string[], algorithm: "MD5" | "SHA-256"): Omit<DigestState, "nc"> | null {
  for (const line of lines) {
    if (!line.startsWith("Digest ")) continue;
    const params = Object.fromEntries(
      [...line.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [
        m[1]!.toLowerCase(),
        m[2] ?? m[3] ?? "",
      ]),
    );
    if ((params.algorithm ?? "MD5").toUpperCase() !== algorithm) continue;
    return { realm: params.realm!, nonce: params.nonce!, opaque: params.opaque, algorithm };
  }
  return null;
}

export function rawRequest(
  baseUrl: string,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: http.Agent;
  },
): Promise<HttpResult> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method, headers: options.headers, agent: options.agent ?? false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            challenges: response.rawHeaders.filter(
              (_, k, all) => k % 2 === 1 && all[k - 1]!.toLowerCase() === "www-authenticate",
            ),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

export function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text));
}

import { createServer, type Server, type Socket } from "node:net";

/**
 * A hotel PMS's FIAS interface server, as OPERA's and Suite8's behave toward an interface system: it listens; on a
 * connection it opens with Link Start (LS); it waits for the interface's LS, its Link Description (LD, with the
 * interface family IF and version V#), its Link Records (LR: RI record id, FL fields) and its Link Alive (LA), and
 * only then answers LA and counts the link alive. It sends LA while idle and answers none of the interface's LAs
 * itself (LA is not a request). Guest records go only to a live link, and only the fields the interface asked for
 * in its LR for that record travel (as a PMS does), so an interface that forgets a field does not get it.
 *
 * It speaks FIAS by its own framing code, independent of Beacon's, so that a test over it checks Beacon against the
 * protocol and not against itself.
 */

const STX = 0x02;
const ETX = 0x03;

export interface FiasPmsOptions {
  /** LA while idle, 0 for never. */
  keepAliveMs?: number;
  host?: string;
  port?: number;
}

export interface ReceivedRecord {
  type: string;
  fields: Record<string, string>;
  raw: string;
}

interface Peer {
  socket: Socket;
  alive: boolean;
  received: ReceivedRecord[];
  /** Record id -> the field ids the interface asked for. */
  wanted: Map<string, string[]>;
  keepAlive?: NodeJS.Timeout;
}

export class FiasPmsStandIn {
  private server: Server;
  private peers = new Set<Peer>();
  private waiters: (() => void)[] = [];
  /** Connections accepted since start. */
  connections = 0;
  /** Every record any interface sent, in order. */
  readonly received: ReceivedRecord[] = [];
  /** What the interface did against the protocol (e.g. a record before its LD); a test expects none. */
  readonly problems: string[] = [];
  port = 0;
  readonly host: string;

  private constructor(private readonly options: FiasPmsOptions) {
    this.host = options.host ?? "127.0.0.1";
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(options: FiasPmsOptions = {}): Promise<FiasPmsStandIn> {
    const pms = new FiasPmsStandIn(options);
    await new Promise<void>((resolve) => pms.server.listen(options.port ?? 0, pms.host, resolve));
    const address = pms.server.address();
    pms.port = typeof address === "object" && address ? address.port : 0;
    return pms;
  }

  /** Live links now (handshake done, connection open). */
  get liveLinks(): number {
    return [...this.peers].filter((p) => p.alive && !p.socket.destroyed).length;
  }

  /** Open connections now, live or not. */
  get openConnections(): number {
    return [...this.peers].filter((p) => !p.socket.destroyed).length;
  }

  /** Resolves once a link is alive. */
  async waitForLink(timeoutMs = 10_000): Promise<void> {
    if (this.liveLinks > 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no live FIAS link within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Sends a record to every live link, e.g. `GO|RN102|GSN|G#12345666|`, keeping only the fields the interface
   * declared for that record type in its LR. Throws when no link is alive.
   */
  send(record: string): void {
    const live = [...this.peers].filter((p) => p.alive && !p.socket.destroyed);
    if (!live.length) throw new Error("no live FIAS link to send to");
    for (const peer of live) this.write(peer.socket, this.filtered(peer, record));
  }

  /** A database resync, as a PMS answers DR: DS, the records (each marked SF), DE. */
  resync(records: readonly string[]): void {
    const stamp = this.stamp();
    this.send(`DS|${stamp}`);
    for (const record of records) this.send(record.endsWith("|") ? `${record}SF|` : `${record}|SF|`);
    this.send(`DE|${stamp}`);
  }

  /** Bytes as they are, e.g. a broken frame. */
  sendRaw(bytes: Uint8Array): void {
    for (const peer of this.peers) if (!peer.socket.destroyed) peer.socket.write(bytes);
  }

  /** Link End, then the connection closed, as a PMS going down for maintenance. */
  endLinks(): void {
    for (const peer of this.peers) {
      if (peer.socket.destroyed) continue;
      this.write(peer.socket, `LE|${this.stamp()}`);
      peer.socket.end();
    }
  }

  /** Cuts every connection without LE, as a network failure. */
  dropLinks(): void {
    for (const peer of this.peers) peer.socket.destroy();
  }

  /** What the interface sent of one record type, over every connection. */
  receivedOf(type: string): ReceivedRecord[] {
    return this.received.filter((r) => r.type === type);
  }

  async close(): Promise<void> {
    this.dropLinks();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket) {
    this.connections++;
    const peer: Peer = { socket, alive: false, received: [], wanted: new Map() };
    this.peers.add(peer);
    socket.setNoDelay(true);
    let frame: number[] | null = null;
    socket.on("data", (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === STX) frame = [];
        else if (byte === ETX && frame) {
          this.onRecord(peer, Buffer.from(frame).toString("latin1"));
          frame = null;
        } else if (frame) frame.push(byte);
        else this.problems.push(`byte ${byte} outside a frame`);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(peer.keepAlive);
      this.peers.delete(peer);
    });
    this.write(socket, `LS|${this.stamp()}`);
  }

  private onRecord(peer: Peer, raw: string) {
    const parts = raw.split("|");
    const type = parts[0] ?? "";
    const fields: Record<string, string> = {};
    for (const part of parts.slice(1)) if (part.length >= 2) fields[part.slice(0, 2)] = part.slice(2);
    if (!raw.endsWith("|")) this.problems.push(`a record without its final "|": ${raw}`);
    const record = { type, fields, raw };
    this.received.push(record);
    peer.received.push(record);
    const seen = (t: string) => peer.received.some((r) => r.type === t);
    switch (type) {
      case "LS":
        break;
      case "LD":
        if (!seen("LS")) this.problems.push("LD before LS");
        if (!fields.IF) this.problems.push("LD without the interface family (IF)");
        if (!fields["V#"]) this.problems.push("LD without a version (V#)");
        break;
      case "LR": {
        if (!seen("LD")) this.problems.push("LR before LD");
        const id = fields.RI;
        const list = fields.FL ?? "";
        if (!id || list.length % 2) this.problems.push(`a malformed LR: ${raw}`);
        else peer.wanted.set(id, list.match(/../g) ?? []);
        break;
      }
      case "LA":
        if (!peer.alive) {
          if (!seen("LD") || !seen("LR")) {
            this.problems.push("LA before the link was described (LD, LR)");
            break;
          }
          peer.alive = true;
          this.write(peer.socket, `LA|${this.stamp()}`);
          const keepAliveMs = this.options.keepAliveMs ?? 0;
          if (keepAliveMs > 0) {
            peer.keepAlive = setInterval(() => this.write(peer.socket, `LA|${this.stamp()}`), keepAliveMs);
          }
          for (const wake of this.waiters.splice(0)) wake();
        }
        break;
      case "LE":
        peer.socket.end();
        break;
      default:
        if (!peer.alive) this.problems.push(`${type} before the link was alive`);
    }
  }

  private filtered(peer: Peer, record: string): string {
    const parts = record.replace(/\|$/, "").split("|");
    const type = parts[0]!;
    const wanted = peer.wanted.get(type);
    if (!wanted || ["DS", "DE", "LA", "LE", "LS"].includes(type)) return record;
    const kept = parts.slice(1).filter((part) => wanted.includes(part.slice(0, 2)));
    return [type, ...kept].join("|");
  }

  private write(socket: Socket, record: string) {
    if (socket.destroyed) return;
    const text = record.endsWith("|") ? record : `${record}|`;
    socket.write(Buffer.concat([Buffer.from([STX]), Buffer.from(text, "latin1"), Buffer.from([ETX])]));
  }

  private stamp(): string {
    const now = new Date();
    const two = (n: number) => String(n).padStart(2, "0");
    const date = `${two(now.getFullYear() % 100)}${two(now.getMonth() + 1)}${two(now.getDate())}`;
    const time = `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
    return `DA${date}|TI${time}`;
  }
}

import { type EventStruct, normaliseEventCode } from "@beacon/cwmp";

/**
 * The events a device has yet to deliver (TR-069 3.7.1.5). Single events ("1 BOOT", "2 PERIODIC", ...) are
 * held once; "M ..." events once per CommandKey. They leave the queue when an InformResponse arrives for
 * the Inform that carried them.
 */
export class EventQueue {
  private events: EventStruct[] = [];

  add(eventCode: string, commandKey = ""): void {
    const code = normaliseEventCode(eventCode);
    const multiple = code.startsWith("M ");
    const exists = this.events.some((e) => e.eventCode === code && (!multiple || e.commandKey === commandKey));
    if (!exists) this.events.push({ eventCode: code, commandKey });
  }

  has(eventCode: string): boolean {
    return this.events.some((e) => e.eventCode === eventCode);
  }

  get size(): number {
    return this.events.length;
  }

  /** In the order a stack lists them: numbered codes ascending, then "M ...", then vendor codes. */
  snapshot(): EventStruct[] {
    return [...this.events].sort((a, b) => rank(a.eventCode) - rank(b.eventCode));
  }

  /** Drops the events an accepted Inform delivered. */
  delivered(events: readonly EventStruct[]): void {
    this.events = this.events.filter((e) => !events.includes(e));
  }

  /** After a failed session: keeps everything but "6 CONNECTION REQUEST", which is not retried. */
  failed(): void {
    this.events = this.events.filter((e) => e.eventCode !== "6 CONNECTION REQUEST");
  }

  clear(): void {
    this.events = [];
  }
}

function rank(code: string): number {
  const n = Number.parseInt(code, 10);
  if (!Number.isNaN(n)) return n;
  return code.startsWith("M ") ? 100 : 200;
}

/**
 * FIAS records (Oracle Hospitality's Fidelio Interface Application Specification, spoken by OPERA and Suite8): each
 * record travels between STX (0x02) and ETX (0x03) as a two-letter record type followed by `|`-separated fields,
 * each a two-character field id and its value, e.g. `GO|RN102|GSN|G#12345666|`. Pure: no I/O, no clock.
 */

export const STX = 0x02;
export const ETX = 0x03;

/** Longer than any record a PMS sends for guest data; a frame that grows past it is dropped. */
export const MAX_FRAME_BYTES = 8192;

export interface FiasRecord {
  /** Two characters: LS, LD, LR, LA, LE, GI, GC, GO, DR, DS, DE, ... */
  type: string;
  /** Field id -> value, e.g. { RN: "102", GS: "N", "G#": "12345666" }; the first of a repeated id wins. */
  fields: Record<string, string>;
}

export type FiasFrame = { record: FiasRecord; raw: string } | { problem: string; raw: string };

const RECORD_TYPE = /^[A-Z0-9]{2}$/;
// Field ids are two characters of letters, digits and a few marks (G#, V#, $1, ...).
const FIELD_ID = /^[A-Z0-9#$+]{2}$/;

/** The record in one frame's text, or what is wrong with it. */
export function parseFiasRecord(text: string): { record: FiasRecord } | { problem: string } {
  const parts = text.split("|");
  const type = parts[0] ?? "";
  if (!RECORD_TYPE.test(type)) return { problem: `a record type is two capital letters or digits, not "${type}"` };
  // A well-formed record ends with "|", which leaves one empty part; tolerate a missing final separator.
  const segments = parts.slice(1);
  if (segments.at(-1) === "") segments.pop();
  const fields: Record<string, string> = {};
  for (const segment of segments) {
    if (segment.length < 2) return { problem: `field "${segment}" of a ${type} record has no two-character id` };
    const id = segment.slice(0, 2);
    if (!FIELD_ID.test(id)) return { problem: `field id "${id}" of a ${type} record is not a FIAS field id` };
    if (!(id in fields)) fields[id] = segment.slice(2);
  }
  return { record: { type, fields } };
}

/** The bytes of one record, framed: STX, the type and each field followed by "|", ETX. */
export function encodeFiasRecord(type: string, fields: readonly (readonly [string, string])[] = []): Buffer {
  if (!RECORD_TYPE.test(type)) throw new Error(`not a FIAS record type: ${type}`);
  let text = `${type}|`;
  for (const [id, value] of fields) {
    if (!FIELD_ID.test(id)) throw new Error(`not a FIAS field id: ${id}`);
    // "|" would end the field and the control characters the frame: neither may travel inside a value.
    text += `${id}${[...value].map((c) => (c === "|" || c.charCodeAt(0) < 0x20 ? " " : c)).join("")}|`;
  }
  return Buffer.concat([Buffer.from([STX]), Buffer.from(text, "latin1"), Buffer.from([ETX])]);
}

/**
 * Splits a TCP byte stream into frames. Bytes between frames (line noise, a PMS's stray CR/LF) are reported once per
 * run, a frame cut short by a new STX is reported and the new one read, and a frame longer than MAX_FRAME_BYTES is
 * dropped up to its ETX: none of them stops the reading.
 */
export class FiasFrameReader {
  private frame: number[] | null = null;
  private noise = 0;
  private oversized = false;

  push(chunk: Uint8Array): FiasFrame[] {
    const out: FiasFrame[] = [];
    for (const byte of chunk) {
      if (byte === STX) {
        this.flushNoise(out);
        if (this.frame?.length) {
          out.push({ problem: "a frame started before the previous one ended", raw: latin1(this.frame) });
        }
        this.frame = [];
        this.oversized = false;
        continue;
      }
      if (this.frame === null) {
        // Whitespace between frames is harmless; anything else is reported.
        if (byte !== 0x0a && byte !== 0x0d) this.noise++;
        continue;
      }
      if (byte === ETX) {
        const raw = latin1(this.frame);
        if (this.oversized) out.push({ problem: `a frame longer than ${MAX_FRAME_BYTES} bytes was dropped`, raw: "" });
        else {
          const parsed = parseFiasRecord(raw);
          out.push("record" in parsed ? { record: parsed.record, raw } : { problem: parsed.problem, raw });
        }
        this.frame = null;
        this.oversized = false;
        continue;
      }
      if (this.frame.length >= MAX_FRAME_BYTES) this.oversized = true;
      else this.frame.push(byte);
    }
    this.flushNoise(out);
    return out;
  }

  private flushNoise(out: FiasFrame[]) {
    if (!this.noise) return;
    out.push({ problem: `${this.noise} bytes outside STX…ETX were skipped`, raw: "" });
    this.noise = 0;
  }
}

function latin1(bytes: number[]): string {
  return Buffer.from(bytes).toString("latin1");
}

/** FIAS dates and times: DA is YYMMDD, TI is HHMMSS, in the PMS's local time; Beacon sends its own clock's UTC. */
export function fiasDateTime(now: Date): [readonly [string, string], readonly [string, string]] {
  const two = (n: number) => String(n).padStart(2, "0");
  return [
    ["DA", `${two(now.getUTCFullYear() % 100)}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}`],
    ["TI", `${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`],
  ];
}

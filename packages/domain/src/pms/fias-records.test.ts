import { describe, expect, it } from "vitest";
import { encodeFiasRecord, FiasFrameReader, MAX_FRAME_BYTES, parseFiasRecord } from "./fias-records.ts";
import { beaconRoomNumber, RoomMapping } from "./room-mapping.ts";

const frame = (text: string) => Buffer.concat([Buffer.from([2]), Buffer.from(text, "latin1"), Buffer.from([3])]);

describe("FIAS records", () => {
  it("reads a check-out's fields by their two-character ids", () => {
    expect(parseFiasRecord("GO|RN102|GSN|G#12345666|")).toEqual({
      record: { type: "GO", fields: { RN: "102", GS: "N", "G#": "12345666" } },
    });
  });

  it("refuses a record type or a field id that is not FIAS", () => {
    expect(parseFiasRecord("G|RN102|")).toHaveProperty("problem");
    expect(parseFiasRecord("GO|R|")).toHaveProperty("problem");
    expect(parseFiasRecord("GO|rn102|")).toHaveProperty("problem");
  });

  it("frames a record between STX and ETX with a final separator, keeping | out of values", () => {
    expect(
      encodeFiasRecord("LR", [
        ["RI", "GO"],
        ["FL", "RNG#GSSF"],
      ]),
    ).toEqual(frame("LR|RIGO|FLRNG#GSSF|"));
    expect(encodeFiasRecord("GI", [["GN", "Dupont|Marie"]])).toEqual(frame("GI|GNDupont Marie|"));
  });

  it("reads frames split across chunks and reports noise, cut frames and oversized frames without stopping", () => {
    const reader = new FiasFrameReader();
    const bytes = Buffer.concat([frame("LA|"), Buffer.from("noise"), Buffer.from([2]), Buffer.from("GO|RN1")]);
    const first = reader.push(bytes.subarray(0, 12));
    const second = reader.push(Buffer.concat([bytes.subarray(12), Buffer.from("02|GSN|"), Buffer.from([3])]));
    const all = [...first, ...second];
    expect(all.filter((f) => "record" in f).map((f) => ("record" in f ? f.record.fields : null))).toEqual([
      {},
      { RN: "102", GS: "N" },
    ]);
    expect(all.filter((f) => "problem" in f)).toHaveLength(1);
    const cut = reader.push(Buffer.concat([Buffer.from([2]), Buffer.from("GO|RN1"), frame("LA|")]));
    expect(cut.map((f) => ("problem" in f ? "problem" : f.record.type))).toEqual(["problem", "LA"]);
    const huge = reader.push(Buffer.concat([frame(`GI|GN${"x".repeat(MAX_FRAME_BYTES + 10)}|`), frame("LA|")]));
    expect(huge.map((f) => ("problem" in f ? "problem" : f.record.type))).toEqual(["problem", "LA"]);
  });
});

describe("room-number mapping", () => {
  it("takes the table first, then strips a prefix and leading zeros and adds one", () => {
    const mapping = RoomMapping.parse({ table: { SUITE: "501" }, stripPrefix: "R", stripLeadingZeros: true });
    expect(beaconRoomNumber(mapping, "SUITE")).toBe("501");
    expect(beaconRoomNumber(mapping, "R0102")).toBe("102");
    expect(beaconRoomNumber(mapping, "000")).toBe("0");
    expect(beaconRoomNumber(RoomMapping.parse({ addPrefix: "A-" }), "12")).toBe("A-12");
    expect(beaconRoomNumber(RoomMapping.parse({}), " 0102 ")).toBe("0102");
    expect(beaconRoomNumber(RoomMapping.parse({}), "  ")).toBeNull();
  });
});

import { existsSync } from "node:fs";
import { join } from "node:path";
import { ontEg8145v5 } from "../models/ont-eg8145v5.ts";
import { onuTr098 } from "../models/onu-tr098.ts";
import { routerTr181 } from "../models/router-tr181.ts";
import { WIFI_MODELS } from "../models/wifi-models.ts";
import type { DataModelRoot, DeviceModel } from "./device-model.ts";
import { fixtureModel, type ModelFixture } from "./fixture.ts";
import { loadGenieacsDump } from "./genieacs-dump.ts";
import { sharedDir } from "./shared-dir.ts";

export interface ModelInfo {
  readonly name: string;
  readonly description: string;
  readonly root: DataModelRoot;
  /** "fixture": written by us, always present; "device-dump": a real device's export read from ../shared. */
  readonly source: "fixture" | "device-dump";
  /** For device dumps: the file it is read from, and whether that file is there. */
  readonly file?: string;
  readonly available: boolean;
}

interface DumpEntry {
  readonly name: string;
  readonly description: string;
  readonly root: DataModelRoot;
  readonly file: string;
}

const FIXTURES: readonly ModelFixture[] = [onuTr098, ontEg8145v5, routerTr181, ...WIFI_MODELS];

const DUMPS: readonly DumpEntry[] = [
  {
    name: "huawei-eg8145v5",
    description: "Huawei EchoLife EG8145V5 GPON ONT (TR-098, X_HW_ extensions)",
    root: "InternetGatewayDevice",
    file: "anlix-genieacs-sim__huawei-EG8145V5__IGD.csv",
  },
  {
    name: "huawei-bm632w",
    description: "Huawei BM632w WiMAX gateway (TR-098, older GenieACS export)",
    root: "InternetGatewayDevice",
    file: "genieacs-sim__huawei-BM632w__IGD.csv",
  },
  {
    name: "nokia-g-1425g-a",
    description: "Nokia (ALCL) G-1425G-A GPON ONT (TR-098)",
    root: "InternetGatewayDevice",
    file: "anlix-genieacs-sim__nokia-ALCL-G-1425G-A__IGD.csv",
  },
  {
    name: "tplink-ex220",
    description: "TP-Link EX220 Wi-Fi 6 router (TR-181, ProductClass Device2)",
    root: "Device",
    file: "anlix-genieacs-sim__tplink-EX220__Device2.csv",
  },
  {
    name: "tplink-ec220-g5-v2",
    description: "TP-Link EC220-G5 v2 router (TR-098, ProductClass IGD)",
    root: "InternetGatewayDevice",
    file: "anlix-genieacs-sim__tplink-EC220-G5-v2__IGD.csv",
  },
];

export interface ModelOptions {
  /** Folder holding datamodels/device-dumps; default sharedDir(). */
  readonly sharedDir?: string;
}

function dumpPath(entry: DumpEntry, options?: ModelOptions): string {
  return join(options?.sharedDir ?? sharedDir(), "datamodels", "device-dumps", entry.file);
}

/** Every model the simulator knows, our fixtures first; dumps say whether their file is present. */
export function listModels(options?: ModelOptions): ModelInfo[] {
  return [
    ...FIXTURES.map(
      (f): ModelInfo => ({
        name: f.name,
        description: f.description,
        root: f.entries[0]?.[0].startsWith("Device.") ? "Device" : "InternetGatewayDevice",
        source: "fixture",
        available: true,
      }),
    ),
    ...DUMPS.map((d): ModelInfo => {
      const file = dumpPath(d, options);
      return {
        name: d.name,
        description: d.description,
        root: d.root,
        source: "device-dump",
        file,
        available: existsSync(file),
      };
    }),
  ];
}

/**
 * Models are immutable and shared by all devices that use them, so each is built once per process and
 * folder. Dumps take tens of milliseconds to parse; fixtures are instant.
 */
const cache = new Map<string, DeviceModel>();

export class ModelNotFound extends Error {
  constructor(
    readonly modelName: string,
    reason: string,
  ) {
    super(`device model ${modelName}: ${reason}`);
    this.name = "ModelNotFound";
  }
}

export function loadModel(name: string, options?: ModelOptions): DeviceModel {
  const fixture = FIXTURES.find((f) => f.name === name);
  const dump = DUMPS.find((d) => d.name === name);
  const key = fixture ? name : `${name}@${dump ? dumpPath(dump, options) : ""}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let model: DeviceModel;
  if (fixture) {
    model = fixtureModel(fixture);
  } else if (dump) {
    const file = dumpPath(dump, options);
    if (!existsSync(file)) {
      throw new ModelNotFound(name, `${file} is absent (set BEACON_SHARED_DIR to the shared folder)`);
    }
    model = loadGenieacsDump(file, { name, description: dump.description });
  } else {
    throw new ModelNotFound(name, `unknown; known models: ${[...FIXTURES, ...DUMPS].map((m) => m.name).join(", ")}`);
  }
  cache.set(key, model);
  return model;
}

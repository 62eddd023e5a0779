import {
  type ConnectionRequestListener,
  type ConnectionRequestListenerOptions,
  startConnectionRequestListener,
} from "../connection-request/listener.ts";
import type {
  AcsRequestType,
  DeviceBehaviour,
  DeviceTiming,
  SimulatedDeviceOptions,
} from "../device/device-options.ts";
import type { FirmwareFailure } from "../device/firmware-install.ts";
import { SimulatedDevice } from "../device/simulated-device.ts";
import type { DeviceModel } from "../model/device-model.ts";
import { loadModel } from "../model/registry.ts";
import type { SessionTranscript } from "../session/transcript.ts";

/**
 * Many simulated devices in one process. Devices share their model (parameter metadata); each keeps only
 * its own values, so memory grows with what the ACS changes, not with the model's size.
 */

export interface FleetMisbehaviour {
  /** Share (0-1) of devices that fault one kind of request. */
  readonly faulty?: number;
  /** Which request they fault, and with what. Default SetParameterValues, 9002. */
  readonly faultRpc?: AcsRequestType;
  readonly faultCode?: number;
  /** Share of devices that answer slowly, and how slowly (default 2,000 ms per request). */
  readonly slow?: number;
  readonly slowMs?: number;
  /** Share of devices that drop the connection when the first ACS request arrives. */
  readonly dropping?: number;
  /** Share of devices whose firmware upgrades fail, and how. Default { kind: "fault", faultCode: 9010 }. */
  readonly firmwareFailing?: number;
  readonly firmwareFailure?: FirmwareFailure;
}

export interface FleetOptions {
  readonly acsUrl: string;
  readonly size: number;
  /** One model for all, or one per device index (a mix of models). */
  readonly model: DeviceModel | string | ((index: number) => DeviceModel | string);
  /** Serial numbers are prefix + index, zero-padded to 6 digits. Default "SIM". */
  readonly serialPrefix?: string;
  readonly username?: string | ((serialNumber: string) => string);
  readonly password?: string | ((serialNumber: string) => string);
  /** Sets every device's PeriodicInformInterval, in seconds. */
  readonly periodicInformInterval?: number;
  readonly timing?: DeviceTiming;
  readonly misbehaviour?: FleetMisbehaviour;
  /** A listener to register devices with, options to start one, or false for none. Default none. */
  readonly connectionRequests?: ConnectionRequestListener | ConnectionRequestListenerOptions | false;
  /** Seeds the choice of misbehaving devices, so runs are repeatable. Default 1. */
  readonly seed?: number;
  /** Anything else every device gets. */
  readonly device?: Partial<Omit<SimulatedDeviceOptions, "model" | "acsUrl" | "serialNumber">>;
}

export interface FleetStats {
  sessions: number;
  completed: number;
  failed: number;
  dropped: number;
  /** Sessions by the first event code of their Inform ("1 BOOT", "2 PERIODIC", ...). */
  byEvent: Record<string, number>;
  /** ACS requests received, by type. */
  rpcs: Record<string, number>;
  /** Faults the devices answered with, by code. */
  faults: Record<string, number>;
  totalSessionMs: number;
  maxSessionMs: number;
}

export class Fleet {
  readonly devices: readonly SimulatedDevice[];
  readonly listener: ConnectionRequestListener | undefined;
  private readonly stats: FleetStats = emptyStats();
  private readonly ownsListener: boolean;

  constructor(devices: SimulatedDevice[], listener: ConnectionRequestListener | undefined, ownsListener: boolean) {
    this.devices = devices;
    this.listener = listener;
    this.ownsListener = ownsListener;
    for (const device of devices) device.onSession((t) => this.record(t));
  }

  /**
   * Starts every device: each sends its boot Inform at a random moment within `spreadMs` (0: all at once,
   * a boot storm) and then informs periodically.
   */
  start(options: { readonly spreadMs?: number } = {}): void {
    const spread = options.spreadMs ?? 0;
    for (const device of this.devices) {
      if (spread <= 0) device.start();
      else setTimeout(() => device.start(), Math.random() * spread).unref();
    }
  }

  /**
   * Every device informs at once with "1 BOOT" (a power cut coming back) and the promise resolves when
   * all those sessions are over.
   */
  async bootStorm(): Promise<SessionTranscript[]> {
    return Promise.all(this.devices.map((d) => d.inform(["1 BOOT"])));
  }

  /** One Inform per device with these events, all at once. */
  async informAll(events: readonly string[] = ["2 PERIODIC"]): Promise<SessionTranscript[]> {
    return Promise.all(this.devices.map((d) => d.inform(events)));
  }

  device(serialNumber: string): SimulatedDevice | undefined {
    return this.devices.find((d) => d.serialNumber === serialNumber);
  }

  snapshot(): FleetStats {
    return structuredClone(this.stats);
  }

  stop(): void {
    for (const d of this.devices) d.stop();
  }

  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.devices.map((d) => d.close()));
    for (const d of this.devices) this.listener?.unregister(d);
    if (this.ownsListener) await this.listener?.close();
  }

  private record(t: SessionTranscript): void {
    const s = this.stats;
    s.sessions++;
    s[t.outcome]++;
    const first = t.events[0]?.eventCode ?? "none";
    s.byEvent[first] = (s.byEvent[first] ?? 0) + 1;
    for (const rpc of t.rpcs) s.rpcs[rpc] = (s.rpcs[rpc] ?? 0) + 1;
    for (const f of t.faults) s.faults[f.faultCode] = (s.faults[f.faultCode] ?? 0) + 1;
    const ms = t.endedAt.getTime() - t.startedAt.getTime();
    s.totalSessionMs += ms;
    s.maxSessionMs = Math.max(s.maxSessionMs, ms);
  }
}

function emptyStats(): FleetStats {
  return {
    sessions: 0,
    completed: 0,
    failed: 0,
    dropped: 0,
    byEvent: {},
    rpcs: {},
    faults: {},
    totalSessionMs: 0,
    maxSessionMs: 0,
  };
}

/** A small seeded generator (mulberry32): the same seed picks the same misbehaving devices. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function createFleet(options: FleetOptions): Promise<Fleet> {
  let listener: ConnectionRequestListener | undefined;
  let ownsListener = false;
  if (options.connectionRequests && "register" in options.connectionRequests) {
    listener = options.connectionRequests;
  } else if (options.connectionRequests) {
    listener = await startConnectionRequestListener(options.connectionRequests);
    ownsListener = true;
  }
  const models = new Map<string, DeviceModel>();
  const modelFor = (index: number): DeviceModel => {
    const m = typeof options.model === "function" ? options.model(index) : options.model;
    if (typeof m !== "string") return m;
    let model = models.get(m);
    if (!model) {
      model = loadModel(m, options.device?.modelOptions);
      models.set(m, model);
    }
    return model;
  };
  const pick = random(options.seed ?? 1);
  // Its own sequence, so adding firmware failures leaves the choice of the other misbehaving devices alone.
  const pickFirmware = random((options.seed ?? 1) ^ 0x5eed_f1a5);
  const mis = options.misbehaviour ?? {};
  const prefix = options.serialPrefix ?? "SIM";
  const devices: SimulatedDevice[] = [];
  for (let k = 0; k < options.size; k++) {
    const serialNumber = `${prefix}${String(k).padStart(6, "0")}`;
    const model = modelFor(k);
    const behaviour: DeviceBehaviour = {
      ...options.device?.behaviour,
      ...(pick() < (mis.faulty ?? 0)
        ? { faults: { [mis.faultRpc ?? "SetParameterValues"]: mis.faultCode ?? 9002 } }
        : {}),
      ...(pick() < (mis.slow ?? 0) ? { responseDelayMs: mis.slowMs ?? 2_000 } : {}),
      ...(pick() < (mis.dropping ?? 0) ? { dropAfterRequests: 1 } : {}),
    };
    const username = typeof options.username === "function" ? options.username(serialNumber) : options.username;
    const password = typeof options.password === "function" ? options.password(serialNumber) : options.password;
    const interval = options.periodicInformInterval;
    const periodicName = `${model.root}.ManagementServer.PeriodicInformInterval`;
    const firmwareFails = pickFirmware() < (mis.firmwareFailing ?? 0);
    const device = new SimulatedDevice({
      ...options.device,
      ...(firmwareFails ? { firmwareFailure: mis.firmwareFailure ?? { kind: "fault", faultCode: 9010 } } : {}),
      model,
      acsUrl: options.acsUrl,
      serialNumber,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      behaviour,
      ...(options.timing ? { timing: options.timing } : {}),
      parameters: {
        ...options.device?.parameters,
        ...(interval === undefined || !model.node(periodicName) ? {} : { [periodicName]: String(interval) }),
      },
    });
    listener?.register(device);
    devices.push(device);
  }
  return new Fleet(devices, listener, ownsListener);
}

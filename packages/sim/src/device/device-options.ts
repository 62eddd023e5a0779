import type { AcsRequest } from "@beacon/cwmp";
import type { DeviceModel } from "../model/device-model.ts";
import type { ModelOptions } from "../model/registry.ts";
import type { FirmwareFailure } from "./firmware-install.ts";
import type { OpticalLevel } from "./optical-signal.ts";
import type { CpeStackQuirks } from "./stack-quirks.ts";

export type AcsRequestType = AcsRequest["type"];

/** How a device misbehaves, for fleets and fault-path tests. */
export interface DeviceBehaviour {
  /** Wait this long before answering each ACS request. */
  readonly responseDelayMs?: number;
  /** Drop the connection, unanswered, when the n-th ACS request of a session arrives. */
  readonly dropAfterRequests?: number;
  /** Always fault these requests, e.g. { SetParameterValues: 9002 }. */
  readonly faults?: Readonly<Partial<Record<AcsRequestType, number>>>;
}

export interface DeviceTiming {
  /**
   * Multiplies every delay measured in seconds: DelaySeconds, ScheduleInform, time windows,
   * PeriodicInformInterval and retry waits. Default 1; tests use 0.001 to turn seconds into milliseconds.
   */
  readonly timeScale?: number;
  /** How long a reboot keeps the device offline, in ms. Default 0. */
  readonly rebootMs?: number;
  /** Per HTTP request, in ms. Default 30,000. */
  readonly requestTimeoutMs?: number;
  /** Periodic informs come at interval × (1 ± jitter). Default 0.1. */
  readonly periodicJitter?: number;
}

export interface SimulatedDeviceOptions {
  /** A model, or a registry name (see listModels). */
  readonly model: DeviceModel | string;
  /** ManagementServer.URL at the factory. */
  readonly acsUrl: string;
  /** Default: the model's. */
  readonly serialNumber?: string;
  readonly oui?: string;
  readonly productClass?: string;
  readonly manufacturer?: string;
  /** ManagementServer.Username/Password at the factory. Default: the model's (usually empty). */
  readonly username?: string;
  readonly password?: string;
  /** ManagementServer.ConnectionRequestUsername/Password. Default: the serial number, both. */
  readonly connectionRequestUsername?: string;
  readonly connectionRequestPassword?: string;
  /** A CWMP version ("1.0" ... "1.4") or a full namespace URN. Default "urn:dslforum-org:cwmp-1-0". */
  readonly cwmpNamespace?: string;
  /** Send cwmp:ID headers. Default true. */
  readonly cwmpId?: boolean;
  /** CWMP 1.4 SupportedCWMPVersions header on the Inform, e.g. "1.0,1.1,1.2,1.3,1.4". */
  readonly supportedCwmpVersions?: string;
  /** Whether the device has already bootstrapped with this ACS (first Inform without "0 BOOTSTRAP"). */
  readonly bootstrapped?: boolean;
  readonly softwareVersion?: string;
  /** The WAN address reported in the Inform. */
  readonly externalIpAddress?: string;
  /** Any other factory values, by full parameter name. */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Secrets (passwords, passphrases) read back as they were set instead of empty. Most stacks hide them as
   * TR-098/TR-181 say; some return them. Default false.
   */
  readonly secretsReadBack?: boolean;
  /** Fault SetParameterValues with 9006 when the xsi:type is not the parameter's. Default false. */
  readonly strictTypes?: boolean;
  readonly behaviour?: DeviceBehaviour;
  /** How the device's CWMP stack departs from TR-069, as real stacks do (see stack-quirks.ts). */
  readonly quirks?: CpeStackQuirks;
  readonly timing?: DeviceTiming;
  readonly userAgent?: string;
  /** For https ACS and file servers. Default true. */
  readonly rejectUnauthorized?: boolean;
  /** The SoftwareVersion a downloaded firmware image installs. Default: its file name without extension. */
  readonly firmwareVersionOf?: (file: {
    readonly url: string;
    readonly targetFileName: string;
    readonly body: Buffer;
  }) => string;
  /** How installing a downloaded firmware image fails; default: it installs. */
  readonly firmwareFailure?: FirmwareFailure;
  /**
   * The received optical power in dBm, fixed or along a curve (see opticalRamp), reported by the model's
   * receive-level parameters in their own units (TR-181 OpticalSignalLevel in 0.001 dBm, the vendors' RXPower).
   * Default: the model's values.
   */
  readonly opticalRxPower?: OpticalLevel;
  /**
   * Optical levels and transceiver temperature drift and jitter around the model's values as real ones do
   * (default: unless opticalRxPower steers the received level); false reports the stored values as they are.
   */
  readonly liveReadings?: boolean;
  /** Where device dumps are read from when `model` is a name. */
  readonly modelOptions?: ModelOptions;
}

/** "1.2" -> "urn:dslforum-org:cwmp-1-2"; a URN is kept as given. */
export function cwmpNamespaceOf(versionOrNamespace: string | undefined): string {
  if (!versionOrNamespace) return "urn:dslforum-org:cwmp-1-0";
  const m = /^(\d+)\.(\d+)$/.exec(versionOrNamespace);
  return m ? `urn:dslforum-org:cwmp-${m[1]}-${m[2]}` : versionOrNamespace;
}

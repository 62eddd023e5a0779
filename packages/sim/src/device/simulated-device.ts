import type {
  AcsRequest,
  CpeMessage,
  CpeRequest,
  DeviceIdStruct,
  Download,
  EventStruct,
  Fault,
  Inform,
  OperationStruct,
  ParameterValueStruct,
  ScheduleDownload,
  TransferCompleteFaultStruct,
  Upload,
} from "@beacon/cwmp";
import type { DeviceModel } from "../model/device-model.ts";
import { loadModel } from "../model/registry.ts";
import { runSession } from "../session/cwmp-session.ts";
import type { SessionTranscript } from "../session/transcript.ts";
import { applyConfiguration, configurationBackup, logFile } from "./configuration-file.ts";
import { DeploymentUnits } from "./deployment-units.ts";
import { type AcsRequestType, cwmpNamespaceOf, type SimulatedDeviceOptions } from "./device-options.ts";
import { applyDiagnosticOutcome, diagnosticKindOf, runSimulatedDiagnostic } from "./diagnostics.ts";
import { EventQueue } from "./event-queue.ts";
import { downloadFile, type TransferCredentials, uploadFile } from "./file-transfer.ts";
import { firmwareFault } from "./firmware-install.ts";
import { liveOpticalValue, opticalLevelAt, opticalRxValue } from "./optical-signal.ts";
import {
  addObject,
  deleteObject,
  getParameterAttributes,
  getParameterNames,
  getParameterValues,
  type ParameterAccess,
  setParameterAttributes,
  setParameterValues,
} from "./parameter-rpcs.ts";
import { ParameterStore } from "./parameter-store.ts";
import { CredentialsAtRestart } from "./stack-quirks.ts";
import {
  firmwareVersionFromFile,
  isConfiguration,
  isFirmware,
  MAX_QUEUED_TRANSFERS,
  type QueuedTransfer,
  queuedTransferOf,
  queuedTransferStruct,
} from "./transfer-queue.ts";
import { acceptValue, isSecret } from "./values.ts";

interface InjectedFault {
  readonly fault: Fault;
  remaining: number;
}

const SUPPORTED_METHODS: readonly AcsRequestType[] = [
  "GetRPCMethods",
  "GetParameterNames",
  "GetParameterValues",
  "SetParameterValues",
  "GetParameterAttributes",
  "SetParameterAttributes",
  "AddObject",
  "DeleteObject",
  "Reboot",
  "FactoryReset",
  "Download",
  "Upload",
  "ScheduleInform",
  "ScheduleDownload",
  "CancelTransfer",
  "GetQueuedTransfers",
  "GetAllQueuedTransfers",
  "ChangeDUState",
];

const UNKNOWN_TIME = "0001-01-01T00:00:00Z";

/**
 * A simulated CPE: a device model's parameters, the RPCs of TR-069 answered the way real stacks do, and
 * sessions over real HTTP to the ACS.
 *
 * A stopped device (the default) opens a session only when inform() is called or a connection request
 * arrives; what would make a real device call home (reboot, finished transfer, ScheduleInform) queues
 * the events for the next session. start() makes it autonomous: boot Inform, periodic informs, retries,
 * and a session right after each of those happenings.
 */
export class SimulatedDevice {
  readonly model: DeviceModel;
  readonly serialNumber: string;
  readonly identity: DeviceIdStruct;
  private readonly store: ParameterStore;
  private readonly access: ParameterAccess;
  private readonly root: string;
  private readonly namespace: string;
  private readonly events = new EventQueue();
  private pending: CpeRequest[] = [];
  private changed: Set<string> | undefined;
  private transferQueue: QueuedTransfer[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private injected: Map<string, InjectedFault[]> | undefined;
  private deploymentUnits: DeploymentUnits | undefined;
  private afterSession: (() => void)[] = [];
  private retryCount = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private sessionPending = false;
  private running = false;
  private closed = false;
  private bootTime = Date.now();
  private readonly createdAt = Date.now();
  private offlineUntil = 0;
  private periodicTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<(transcript: SessionTranscript) => void>();
  private sessionCount = 0;
  private readonly credentialsAtRestart: CredentialsAtRestart | undefined;

  constructor(private readonly options: SimulatedDeviceOptions) {
    this.model = typeof options.model === "string" ? loadModel(options.model, options.modelOptions) : options.model;
    this.root = this.model.root;
    this.store = new ParameterStore(this.model);
    this.namespace = cwmpNamespaceOf(options.cwmpNamespace);
    const id = this.model.identity;
    this.serialNumber = options.serialNumber ?? id.serialNumber;
    this.identity = {
      manufacturer: options.manufacturer ?? id.manufacturer,
      oui: (options.oui ?? id.oui).toUpperCase(),
      productClass: options.productClass ?? id.productClass,
      serialNumber: this.serialNumber,
    };
    this.access = {
      store: this.store,
      read: (name) => (isSecret(name) && !options.secretsReadBack ? "" : this.read(name)),
      parameterKeyName: this.ms("ParameterKey"),
    };

    const r = this.root;
    const factory: Record<string, string | undefined> = {
      [`${r}.DeviceInfo.SerialNumber`]: this.serialNumber,
      [`${r}.DeviceInfo.ManufacturerOUI`]: options.oui?.toUpperCase(),
      [`${r}.DeviceInfo.ProductClass`]: options.productClass,
      [`${r}.DeviceInfo.Manufacturer`]: options.manufacturer,
      [`${r}.DeviceInfo.SoftwareVersion`]: options.softwareVersion,
      [this.ms("URL")]: options.acsUrl,
      [this.ms("Username")]: options.username,
      [this.ms("Password")]: options.password,
      [this.ms("ConnectionRequestUsername")]: options.connectionRequestUsername ?? this.serialNumber,
      [this.ms("ConnectionRequestPassword")]: options.connectionRequestPassword ?? this.serialNumber,
      [this.ms("ConnectionRequestURL")]: "",
    };
    const wan = this.model.informParameters.find((n) => /(ExternalIPAddress|IPv4Address\.\d+\.IPAddress)$/.test(n));
    if (wan && options.externalIpAddress) factory[wan] = options.externalIpAddress;
    for (const [name, value] of Object.entries({ ...factory, ...options.parameters })) {
      if (value === undefined) continue;
      if (this.store.node(name)?.object !== false) {
        if (options.parameters && name in options.parameters) {
          throw new Error(`${this.model.name} has no parameter ${name}`);
        }
        continue;
      }
      this.store.setFactoryValue(name, value);
    }
    if (!options.bootstrapped) this.events.add("0 BOOTSTRAP");
    this.events.add("1 BOOT");
    if (options.quirks?.credentialsAfterRestart) this.credentialsAtRestart = new CredentialsAtRestart(this.ms(""));
  }

  /** The value as the device holds it (secrets included); undefined for unknown names and objects. */
  get(name: string): string | undefined {
    return this.store.node(name)?.object === false ? this.read(name) : undefined;
  }

  /**
   * Changes a value from the device's side (a user in the web UI, a line coming up). Parameters with
   * passive or active notification then go into the next Inform with "4 VALUE CHANGE"; active ones make a
   * started device call home at once.
   */
  set(name: string, value: string): void {
    const node = this.store.node(name);
    if (!node || node.object) throw new Error(`${this.model.name} has no parameter ${name}`);
    const accepted = acceptValue(node.type, value, this.store.value(name) ?? "");
    if (accepted === undefined) throw new Error(`${value} is not a valid ${node.type} for ${name}`);
    if (accepted === this.store.value(name)) return;
    this.store.setValue(name, accepted);
    const notification = this.store.notifying(name);
    if (notification > 0) {
      this.changed ??= new Set();
      this.changed.add(name);
      if (notification === 2 && this.running) this.requestSession();
    }
  }

  /** Names of the parameters and objects directly under an object ("" for the top). */
  children(objectName: string): readonly string[] {
    return this.store.children(objectName);
  }

  /** Events waiting for the next Inform. */
  get queuedEvents(): readonly EventStruct[] {
    return this.events.snapshot();
  }

  /** Requests (TransferComplete, ...) waiting for the next session. */
  get pendingRequests(): readonly CpeRequest[] {
    return [...this.pending];
  }

  get queuedTransfers(): readonly QueuedTransfer[] {
    return [...this.transferQueue];
  }

  get sessions(): number {
    return this.sessionCount;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Offline while rebooting. */
  get isOnline(): boolean {
    return !this.closed && Date.now() >= this.offlineUntil;
  }

  /** ManagementServer.ConnectionRequestUsername/Password as they are now. */
  connectionRequestCredentials(): { readonly username: string; readonly password: string } {
    return {
      username: this.read(this.ms("ConnectionRequestUsername")),
      password: this.read(this.ms("ConnectionRequestPassword")),
    };
  }

  /** Set by the connection-request listener the device is registered with. */
  setConnectionRequestAddress(address: { readonly url?: string; readonly udpAddress?: string }): void {
    if (address.url !== undefined) this.store.setFactoryValue(this.ms("ConnectionRequestURL"), address.url);
    if (address.udpAddress !== undefined && this.store.node(this.ms("UDPConnectionRequestAddress"))) {
      this.store.setFactoryValue(this.ms("UDPConnectionRequestAddress"), address.udpAddress);
    }
  }

  /**
   * Opens a session now, with these events besides the queued ones (nothing at all queued or given:
   * "2 PERIODIC"). Resolves when the session is over, successful or not.
   */
  inform(events: readonly (string | EventStruct)[] = []): Promise<SessionTranscript> {
    if (this.closed) return Promise.reject(new Error(`${this.serialNumber} is closed`));
    for (const e of events) {
      if (typeof e === "string") this.events.add(e);
      else this.events.add(e.eventCode, e.commandKey);
    }
    return this.enqueueSession(true);
  }

  /**
   * TR-069 3.2.2: a connection request was authenticated. "accepted" opens a session with
   * "6 CONNECTION REQUEST" (after the current one, if any); "offline" while rebooting or closed.
   */
  connectionRequest(): "accepted" | "offline" {
    if (!this.isOnline) return "offline";
    this.events.add("6 CONNECTION REQUEST");
    this.requestSession();
    return "accepted";
  }

  /** A power cycle: "1 BOOT" at the next Inform, settings that wait for a restart applied, offline for rebootMs. */
  restart(): void {
    this.reboot([]);
  }

  /** Fault the next `times` requests of this type (default 1), e.g. injectFault("SetParameterValues", 9002). */
  injectFault(
    rpc: AcsRequestType,
    faultCode: number,
    options: { readonly times?: number; readonly faultString?: string } = {},
  ): void {
    this.injected ??= new Map();
    const list = this.injected.get(rpc) ?? [];
    const fault: Fault =
      options.faultString === undefined
        ? { type: "Fault", faultCode }
        : { type: "Fault", faultCode, faultString: options.faultString };
    list.push({ fault, remaining: options.times ?? 1 });
    this.injected.set(rpc, list);
  }

  onSession(listener: (transcript: SessionTranscript) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next session that ends (and matches), e.g. the one a connection request or a reboot opens. */
  waitForSession(
    predicate: (t: SessionTranscript) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SessionTranscript> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.serialNumber}: no matching session within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onSession((t) => {
        if (!predicate(t)) return;
        clearTimeout(timer);
        off();
        resolve(t);
      });
    });
  }

  /** Becomes autonomous: boot Inform now (unless boot is false), then periodic informs and retries. */
  start(options: { readonly boot?: boolean } = {}): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.schedulePeriodic();
    if (options.boot !== false) this.requestSession();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.periodicTimer);
    clearTimeout(this.retryTimer);
  }

  /** Stops, cancels every timer and waits for the current session and transfers to end. */
  async close(): Promise<void> {
    this.stop();
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const t of this.transferQueue) clearTimeout(t.timer);
    await Promise.allSettled([this.chain, ...this.inFlight]);
  }

  /** Waits until no transfer is running and no session is queued or running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.sessionPending) {
      await Promise.allSettled([...this.inFlight, this.chain]);
    }
    await this.chain.catch(() => undefined);
  }

  // --- sessions ---------------------------------------------------------------------------------------

  private ms(name: string): string {
    return `${this.root}.ManagementServer.${name}`;
  }

  private read(name: string): string {
    if (this.options.opticalRxPower !== undefined) {
      const optical = this.opticalRead(name);
      if (optical !== undefined) return optical;
    }
    if (this.options.liveReadings ?? this.options.opticalRxPower === undefined) {
      const node = this.store.node(name);
      const elapsedSeconds = (Date.now() - this.createdAt) / 1000 / this.timeScale;
      const live =
        node && !node.object
          ? liveOpticalValue(name, node.type, this.store.value(name) ?? "", elapsedSeconds, this.serialNumber)
          : undefined;
      if (live !== undefined) return live;
    }
    if (name.endsWith(".DeviceInfo.UpTime"))
      return String(Math.max(0, Math.floor((Date.now() - this.bootTime) / 1000)));
    if (name.endsWith(".CurrentLocalTime")) return isoSeconds(new Date());
    return this.store.value(name) ?? "";
  }

  private get timeScale(): number {
    return this.options.timing?.timeScale ?? 1;
  }

  /** A session the device itself wants (started device, connection request): coalesced with a queued one. */
  private requestSession(): void {
    if (this.closed || this.sessionPending) return;
    void this.enqueueSession(false);
  }

  private enqueueSession(explicit: boolean): Promise<SessionTranscript> {
    if (!explicit) this.sessionPending = true;
    const session = this.chain.then(async () => {
      if (!explicit) this.sessionPending = false;
      return this.runOneSession();
    });
    this.chain = session.catch(() => undefined);
    return session;
  }

  private async runOneSession(): Promise<SessionTranscript> {
    await Promise.allSettled([...this.inFlight]);
    const offline = this.offlineUntil - Date.now();
    if (offline > 0) await sleep(offline);

    if (this.changed && this.changed.size > 0) this.events.add("4 VALUE CHANGE");
    if (this.pending.some((r) => r.type === "TransferComplete")) this.events.add("7 TRANSFER COMPLETE");
    if (this.pending.some((r) => r.type === "DUStateChangeComplete")) this.events.add("11 DU STATE CHANGE COMPLETE");
    if (this.events.size === 0) this.events.add("2 PERIODIC");
    const events = this.events.snapshot();
    const changed = [...(this.changed ?? [])];

    const names = [...this.model.informParameters];
    for (const name of changed) if (!names.includes(name)) names.push(name);
    const parameterList: ParameterValueStruct[] = names
      .filter((n) => this.store.node(n))
      .map((name) => ({ name, value: this.access.read(name), type: this.store.node(name)?.type ?? "xsd:string" }));
    const inform: Inform = {
      type: "Inform",
      deviceId: this.identity,
      event: events,
      maxEnvelopes: 1,
      currentTime: isoSeconds(new Date()),
      retryCount: this.retryCount,
      parameterList,
    };
    const behaviour = this.options.behaviour ?? {};
    this.afterSession = [];
    const result = await runSession({
      serialNumber: this.serialNumber,
      url: this.read(this.ms("URL")),
      username: this.read(this.ms("Username")),
      password: this.read(this.ms("Password")),
      namespace: this.namespace,
      sendIds: this.options.cwmpId ?? true,
      ...(this.options.supportedCwmpVersions ? { supportedCwmpVersions: this.options.supportedCwmpVersions } : {}),
      userAgent:
        this.options.userAgent ??
        `${this.identity.productClass}/${this.read(`${this.root}.DeviceInfo.SoftwareVersion`)} (beacon-sim)`,
      timeoutMs: this.options.timing?.requestTimeoutMs ?? 30_000,
      rejectUnauthorized: this.options.rejectUnauthorized ?? true,
      inform,
      requests: [...this.pending],
      answer: (request) => this.answer(request),
      ...(this.options.quirks ? { quirks: this.options.quirks } : {}),
      ...(behaviour.responseDelayMs ? { responseDelayMs: behaviour.responseDelayMs } : {}),
      ...(behaviour.dropAfterRequests ? { dropAfterRequests: behaviour.dropAfterRequests } : {}),
    });
    this.sessionCount++;

    if (result.informAccepted) {
      this.events.delivered(events);
      for (const name of changed) this.changed?.delete(name);
    } else {
      this.events.failed();
    }
    this.pending = this.pending.filter((r) => !result.acknowledged.includes(r));
    if (result.outcome === "completed") {
      this.retryCount = 0;
    } else {
      this.retryCount++;
      if (this.running && (this.events.size > 0 || this.pending.length > 0)) this.scheduleRetry();
    }
    const actions = this.afterSession;
    this.afterSession = [];
    for (const action of actions) action();

    const { acknowledged: _, ...transcript } = result;
    for (const listener of [...this.listeners]) listener(transcript);
    return transcript;
  }

  /** TR-069 3.2.1.1: wait m·k^(n-1) to m·k^n seconds, m = 5, k = 2, n capped at 10. */
  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    const n = Math.min(this.retryCount, 10);
    const low = 5 * 2 ** (n - 1);
    const seconds = low + Math.random() * low;
    this.retryTimer = setTimeout(() => this.requestSession(), seconds * 1000 * this.timeScale);
    this.retryTimer.unref();
  }

  private schedulePeriodic(): void {
    clearTimeout(this.periodicTimer);
    if (!this.running) return;
    const enabled = this.read(this.ms("PeriodicInformEnable"));
    const interval = Number(this.read(this.ms("PeriodicInformInterval")));
    if (enabled === "false" || enabled === "0" || !(interval > 0)) return;
    const jitter = this.options.timing?.periodicJitter ?? 0.1;
    const factor = 1 + (Math.random() * 2 - 1) * jitter;
    this.periodicTimer = setTimeout(
      () => {
        this.events.add("2 PERIODIC");
        this.requestSession();
        this.schedulePeriodic();
      },
      interval * 1000 * this.timeScale * factor,
    );
    this.periodicTimer.unref();
  }

  /** Runs `action` after `seconds` (scaled), unless the device is closed first. */
  private later(seconds: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (!this.closed) action();
      },
      Math.max(0, seconds) * 1000 * this.timeScale,
    );
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  // --- RPCs -------------------------------------------------------------------------------------------

  private takeInjectedFault(rpc: AcsRequestType): Fault | undefined {
    const persistent = this.options.behaviour?.faults?.[rpc];
    if (persistent !== undefined) return { type: "Fault", faultCode: persistent };
    const list = this.injected?.get(rpc);
    const next = list?.[0];
    if (!list || !next) return undefined;
    if (--next.remaining <= 0) list.shift();
    return next.fault;
  }

  private async answer(request: AcsRequest): Promise<CpeMessage> {
    const injected = this.takeInjectedFault(request.type);
    if (injected) return injected;
    const unsupported = this.options.quirks?.unsupportedRpcs ?? [];
    if (unsupported.includes(request.type)) return { type: "Fault", faultCode: 9000 };
    switch (request.type) {
      case "GetRPCMethods":
        return { type: "GetRPCMethodsResponse", methodList: SUPPORTED_METHODS.filter((m) => !unsupported.includes(m)) };
      case "GetParameterNames":
        return getParameterNames(this.access, request);
      case "GetParameterValues":
        return getParameterValues(this.access, request);
      case "SetParameterValues": {
        const write = () =>
          setParameterValues(this.access, request, { strictTypes: this.options.strictTypes ?? false });
        const { answer, changed } = this.credentialsAtRestart?.intercept(this.store, write) ?? write();
        this.parametersWritten(changed);
        return answer;
      }
      case "GetParameterAttributes":
        return getParameterAttributes(this.access, request);
      case "SetParameterAttributes":
        return setParameterAttributes(this.access, request);
      case "AddObject":
        return addObject(this.access, request);
      case "DeleteObject":
        return deleteObject(this.access, request);
      case "Reboot":
        this.afterSession.push(() => this.reboot([["M Reboot", request.commandKey]]));
        return { type: "RebootResponse" };
      case "FactoryReset":
        this.afterSession.push(() => this.factoryReset());
        return { type: "FactoryResetResponse" };
      case "Download":
      case "Upload":
      case "ScheduleDownload":
        return this.queueTransfer(request);
      case "ScheduleInform":
        this.afterSession.push(() =>
          this.later(request.delaySeconds, () => {
            this.events.add("3 SCHEDULED");
            this.events.add("M ScheduleInform", request.commandKey);
            if (this.running) this.requestSession();
          }),
        );
        return { type: "ScheduleInformResponse" };
      case "CancelTransfer": {
        const transfer = this.transferQueue.find((t) => t.commandKey === request.commandKey);
        if (!transfer) return { type: "Fault", faultCode: 9003, faultString: "No transfer with that CommandKey" };
        if (transfer.state !== 1) return { type: "Fault", faultCode: 9021 };
        clearTimeout(transfer.timer);
        this.transferQueue = this.transferQueue.filter((t) => t !== transfer);
        return { type: "CancelTransferResponse" };
      }
      case "GetQueuedTransfers":
        return {
          type: "GetQueuedTransfersResponse",
          transferList: this.transferQueue.map((t) => ({ commandKey: t.commandKey, state: t.state })),
        };
      case "GetAllQueuedTransfers":
        return { type: "GetAllQueuedTransfersResponse", transferList: this.transferQueue.map(queuedTransferStruct) };
      case "ChangeDUState":
        this.afterSession.push(() => this.changeDeploymentUnits(request.operations, request.commandKey));
        return { type: "ChangeDUStateResponse" };
      default:
        return { type: "Fault", faultCode: 9000 };
    }
  }

  /** Reactions to the ACS writing management parameters. */
  private parametersWritten(names: readonly string[]): void {
    this.diagnosticsWritten(names);
    if (names.includes(this.ms("URL"))) this.events.add("0 BOOTSTRAP");
    if (names.some((n) => n.startsWith(this.ms("PeriodicInform")))) {
      this.afterSession.push(() => this.schedulePeriodic());
    }
  }

  /**
   * TR-098 / TR-181 diagnostics: DiagnosticsState "Requested" starts the test once the session is over; writing
   * any other parameter of a running test's object without requesting it again cancels it (state None).
   */
  private diagnosticsWritten(names: readonly string[]): void {
    const requested = names
      .filter((n) => n.endsWith(".DiagnosticsState") && this.store.value(n) === "Requested")
      .map((n) => n.slice(0, -"DiagnosticsState".length));
    for (const name of names) {
      const object = name.slice(0, name.lastIndexOf(".") + 1);
      const state = `${object}DiagnosticsState`;
      if (diagnosticKindOf(object) && !requested.includes(object) && this.store.value(state) === "Requested") {
        this.store.setValue(state, "None");
      }
    }
    for (const object of requested) {
      const kind = diagnosticKindOf(object);
      if (kind) this.afterSession.push(() => this.runDiagnostic(object, kind));
    }
  }

  private runDiagnostic(object: string, kind: NonNullable<ReturnType<typeof diagnosticKindOf>>): void {
    const wan = this.model.informParameters.find((n) => /(ExternalIPAddress|IPv4Address\.\d+\.IPAddress)$/.test(n));
    const outcome = runSimulatedDiagnostic(kind, {
      root: this.model.root,
      field: (name) => this.read(`${object}${name}`),
      wanAddress: wan ? this.read(wan) : "",
      now: () => new Date(),
      random: Math.random,
    });
    this.later(outcome.seconds, () => {
      // Cancelled, or requested again (which restarts it), meanwhile.
      if (this.store.value(`${object}DiagnosticsState`) !== "Requested") return;
      applyDiagnosticOutcome(this.store, object, outcome);
      // TR-069 3.7.1.5: the CPE calls home with the results.
      this.events.add("8 DIAGNOSTICS COMPLETE");
      if (this.running) this.requestSession();
    });
  }

  private reboot(events: readonly (readonly [string, string])[]): void {
    this.credentialsAtRestart?.applyTo(this.store);
    this.events.add("1 BOOT");
    for (const [code, key] of events) this.events.add(code, key);
    const rebootMs = this.options.timing?.rebootMs ?? 0;
    this.offlineUntil = Date.now() + rebootMs;
    this.bootTime = this.offlineUntil;
    if (this.running) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.requestSession();
      }, rebootMs);
      timer.unref();
      this.timers.add(timer);
      this.schedulePeriodic();
    }
  }

  /** TR-069 A.4.1.4: back to factory values; the device bootstraps again. */
  private factoryReset(): void {
    this.store.reset();
    this.events.clear();
    this.events.add("0 BOOTSTRAP");
    this.pending = [];
    this.changed = undefined;
    for (const t of this.transferQueue) clearTimeout(t.timer);
    this.transferQueue = [];
    this.deploymentUnits = undefined;
    this.retryCount = 0;
    this.reboot([]);
  }

  private queueTransfer(request: Download | Upload | ScheduleDownload): CpeMessage {
    if (this.transferQueue.length >= MAX_QUEUED_TRANSFERS) return { type: "Fault", faultCode: 9004 };
    const transfer = queuedTransferOf(request);
    if ("type" in transfer) return transfer;
    const delaySeconds = transfer.delaySeconds;
    this.transferQueue.push(transfer);
    this.afterSession.push(() => {
      if (delaySeconds <= 0) this.track(this.executeTransfer(transfer));
      else transfer.timer = this.later(delaySeconds, () => this.track(this.executeTransfer(transfer)));
    });
    if (request.type === "ScheduleDownload") return { type: "ScheduleDownloadResponse" };
    // Status 1: the transfer happens after the session; TransferComplete reports it (TR-069 A.3.2.8).
    const times = { status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME } as const;
    return request.type === "Download" ? { type: "DownloadResponse", ...times } : { type: "UploadResponse", ...times };
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async executeTransfer(t: QueuedTransfer): Promise<void> {
    if (!this.transferQueue.includes(t)) return;
    t.state = 2;
    const startTime = isoSeconds(new Date());
    const credentials: TransferCredentials = {
      username: t.username,
      password: t.password,
      userAgent: `${this.identity.productClass} (beacon-sim)`,
      timeoutMs: this.options.timing?.requestTimeoutMs ?? 30_000,
      rejectUnauthorized: this.options.rejectUnauthorized ?? true,
    };
    let fault: TransferCompleteFaultStruct = { faultCode: 0, faultString: "" };
    let reboots = false;
    if (t.kind === "Upload") {
      const body = isConfiguration("Upload", t.fileType)
        ? configurationBackup(this.store, (name) => this.read(name))
        : logFile(this.serialNumber, isoSeconds(new Date()));
      const result = await uploadFile(t.url, body, credentials);
      if (!result.ok) fault = result.fault;
    } else {
      const result = await downloadFile(t.url, t.fileSize, credentials);
      if (!result.ok) {
        fault = result.fault;
      } else if (isFirmware(t.fileType)) {
        const installed = this.installFirmware({ url: t.url, targetFileName: t.targetFileName, body: result.body });
        fault = installed.fault;
        reboots = installed.reboots;
      } else if (isConfiguration(t.kind, t.fileType)) {
        applyConfiguration(this.store, result.body.toString("utf8"));
      }
    }
    this.transferQueue = this.transferQueue.filter((q) => q !== t);
    if (this.closed) return;
    this.pending.push({
      type: "TransferComplete",
      commandKey: t.commandKey,
      faultStruct: fault,
      startTime,
      completeTime: isoSeconds(new Date()),
    });
    this.events.add("7 TRANSFER COMPLETE");
    this.events.add(`M ${t.kind}`, t.commandKey);
    if (reboots) this.reboot([]);
    else if (this.running) this.requestSession();
  }

  // --- firmware installs and optical levels (options.firmwareFailure, options.opticalRxPower) ------------

  /** A downloaded image installs (the device reboots into its version) or fails as options.firmwareFailure says. */
  private installFirmware(file: { readonly url: string; readonly targetFileName: string; readonly body: Buffer }): {
    fault: TransferCompleteFaultStruct;
    reboots: boolean;
  } {
    const ok = { faultCode: 0, faultString: "" };
    const failure = this.options.firmwareFailure;
    switch (failure?.kind) {
      case "fault":
        return { fault: firmwareFault(failure), reboots: false };
      case "rollback":
        return { fault: ok, reboots: true };
      case "lost":
        // Bricked: closed without the TransferComplete, offline to connection requests, never informs again.
        this.stop();
        this.closed = true;
        return { fault: ok, reboots: false };
      default: {
        const version = this.options.firmwareVersionOf?.(file) ?? firmwareVersionFromFile(file);
        this.store.setValue(`${this.root}.DeviceInfo.SoftwareVersion`, version);
        return { fault: ok, reboots: true };
      }
    }
  }

  /** A receive-level parameter's value at the current point of options.opticalRxPower; undefined for others. */
  private opticalRead(name: string): string | undefined {
    const level = this.options.opticalRxPower;
    const node = this.store.node(name);
    if (level === undefined || !node || node.object) return undefined;
    const elapsedSeconds = (Date.now() - this.createdAt) / 1000 / this.timeScale;
    return opticalRxValue(name, node.type, opticalLevelAt(level, elapsedSeconds));
  }

  private changeDeploymentUnits(operations: readonly OperationStruct[], commandKey: string): void {
    this.deploymentUnits ??= new DeploymentUnits();
    const results = this.deploymentUnits.apply(
      operations,
      `${this.root}.SoftwareModules.DeploymentUnit.`,
      isoSeconds(new Date()),
    );
    this.pending.push({ type: "DUStateChangeComplete", results, commandKey });
    this.events.add("11 DU STATE CHANGE COMPLETE");
    this.events.add("M ChangeDUState", commandKey);
    if (this.running) this.requestSession();
  }
}

/** xsd:dateTime without milliseconds, as CPEs send it. */
function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createSimulatedDevice(options: SimulatedDeviceOptions): SimulatedDevice {
  return new SimulatedDevice(options);
}

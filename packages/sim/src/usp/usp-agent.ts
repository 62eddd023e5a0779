import { createHash, randomUUID } from "node:crypto";
import {
  type Add as AddBody,
  type Delete as DeleteBody,
  decodeMsg,
  decodeRecord,
  encodeMsg,
  encodeRecord,
  errorMsg,
  type Msg,
  type Operate as OperateBody,
  requestMsg,
  responseMsg,
  type Set as SetBody,
  USP_ERRORS,
  UspCodecError,
} from "@beacon/usp";
import { firmwareVersionFromFile } from "../device/transfer-queue.ts";
import { type AgentIdentity, Tr181Store } from "./tr181-store.ts";

/**
 * A simulated USP agent (TR-369) holding a TR-181 store. It answers Get, Set, Add, Delete, Operate,
 * GetInstances, GetSupportedDM and GetSupportedProtocol as an agent must, and is strict where real agents are:
 * it drops Records addressed to another endpoint, sends notifications only for enabled subscriptions (a factory
 * Boot! subscription aside), refuses a whole Set when a parameter fails and allow_partial is false, reads
 * passphrases back empty, and runs diagnostics as asynchronous commands ending with OperationComplete.
 * Firmware follows TR-181 Device.DeviceInfo.FirmwareImage.{i}: Download() fetches the image over HTTP(S), checks
 * its size and SHA-256, and (AutoActivate) reboots into it; Activate() reboots into a downloaded image; the agent
 * reports its new SoftwareVersion only after the reboot, with a Boot! event (FirmwareUpdated).
 * Transports (websocket-agent.ts, mqtt-agent.ts) hand it Record bytes and give it a way to send.
 */

export interface UspAgentOptions {
  endpointId: string;
  /** The Controller's endpoint id, the to_id of what the agent sends. */
  controllerId: string;
  identity?: Partial<AgentIdentity>;
  /** Contact a new Controller with an OnBoardRequest instead of the Boot! event. */
  onBoard?: boolean;
  /** Milliseconds an asynchronous command (IPPing()) runs. */
  commandMs?: number;
  version?: string;
  firmware?: FirmwareOptions;
}

export interface FirmwareOptions {
  /** FirmwareImage instances: 2 (dual bank, the default, as on most gateways) or 1. */
  images?: 1 | 2;
  /**
   * How an upgrade goes wrong: "corrupt" fails validation after the download (OperationComplete with an error, no
   * reboot); "rollback" reboots but comes back on the old image.
   */
  failure?: "corrupt" | "rollback";
  /** The version an image carries; default: its file name without the extension (as the CWMP simulator). */
  versionOf?: (url: string) => string;
  /** Milliseconds before the image is fetched (a slow link); default 0. */
  downloadMs?: number;
}

export interface AgentLink {
  send(record: Uint8Array): void;
  /** Reconnect after a reboot. */
  reconnect?(): Promise<void>;
}

export class SimulatedUspAgent {
  readonly store: Tr181Store;
  readonly endpointId: string;
  /** Every Msg received from the Controller, decoded, in order. */
  readonly received: Msg[] = [];
  /** Records dropped and why (wrong to_id, unparsable...). */
  readonly dropped: string[] = [];
  private link: AgentLink | null = null;
  private listeners = new Set<() => void>();
  private requests = 0;
  readonly options: Required<Omit<UspAgentOptions, "identity" | "firmware">>;
  readonly firmware: FirmwareOptions;

  constructor(options: UspAgentOptions) {
    this.endpointId = options.endpointId;
    this.options = {
      endpointId: options.endpointId,
      controllerId: options.controllerId,
      onBoard: options.onBoard ?? false,
      commandMs: options.commandMs ?? 50,
      version: options.version ?? "1.3",
    };
    this.firmware = options.firmware ?? {};
    const serial = options.identity?.serialNumber ?? options.endpointId.replace(/^.*[-:]/, "");
    this.store = new Tr181Store(
      {
        oui: "00D09E",
        productClass: "USP-GW",
        manufacturer: "Beacon Sim",
        modelName: "SimGateway USP",
        softwareVersion: "2.1.0",
        hardwareVersion: "B1",
        ...options.identity,
        serialNumber: serial,
      },
      options.endpointId,
    );
    this.installFirmwareTable(this.firmware.images ?? 2);
  }

  /** TR-181 Device.DeviceInfo.FirmwareImage.{i}: the running image active, a second bank empty. */
  private installFirmwareTable(images: number) {
    const running = this.store.read("Device.DeviceInfo.SoftwareVersion") ?? "";
    for (let i = 1; i <= images; i++) {
      const image = (name: string, value: string, writable = false) =>
        this.store.params.set(`${FIRMWARE_IMAGE}${i}.${name}`, { value, writable });
      image("Alias", `cpe-image-${i}`);
      image("Name", i === 1 ? `firmware-${running}` : "");
      image("Version", i === 1 ? running : "");
      image("Available", i === 1 ? "true" : "false", true);
      image("Status", i === 1 ? "Active" : "NoImage");
      image("BootFailureLog", "");
    }
    this.store.params.set("Device.DeviceInfo.FirmwareImageNumberOfEntries", { value: String(images), writable: false });
    this.store.params.set("Device.DeviceInfo.ActiveFirmwareImage", { value: `${FIRMWARE_IMAGE}1`, writable: false });
    this.store.params.set("Device.DeviceInfo.BootFirmwareImage", { value: `${FIRMWARE_IMAGE}1`, writable: true });
  }

  attach(link: AgentLink | null) {
    this.link = link;
  }

  get connected(): boolean {
    return this.link !== null;
  }

  /** The Boot! event (TR-181 Device.Boot!), or an OnBoardRequest for an agent told to on-board. */
  sendBoot(cause = "LocalReboot", commandKey = "", firmwareUpdated = false) {
    if (this.options.onBoard) {
      const id = this.store.identity();
      this.sendMsg(
        requestMsg(this.nextId(), {
          case: "notify",
          value: {
            subscriptionId: "",
            sendResp: true,
            notification: {
              case: "onBoardReq",
              value: { ...id, agentSupportedProtocolVersions: "1.0,1.3" },
            },
          },
        }),
      );
      return;
    }
    // A factory-configured agent sends Boot! to its Controller before Beacon created any subscription.
    const subscription = this.store.subscriptions("Event").find((s) => s.referenceList.includes("Device.Boot!"));
    this.sendMsg(
      requestMsg(this.nextId(), {
        case: "notify",
        value: {
          subscriptionId: subscription?.id ?? "factory-boot",
          sendResp: true,
          notification: {
            case: "event",
            value: {
              objPath: "Device.",
              eventName: "Boot!",
              params: {
                Cause: cause,
                CommandKey: commandKey,
                FirmwareUpdated: String(firmwareUpdated),
                ParameterMap: "{}",
              },
            },
          },
        },
      }),
    );
  }

  /** A value changed on the device itself: a ValueChange notification if a subscription covers it. */
  changeLocally(name: string, value: string) {
    const p = this.store.params.get(name);
    if (!p) throw new Error(`${name} does not exist`);
    p.value = value;
    const subscription = this.store
      .subscriptions("ValueChange")
      .find((s) => s.referenceList.some((ref) => matches(ref, name)));
    if (!subscription) return;
    this.sendMsg(
      requestMsg(this.nextId(), {
        case: "notify",
        value: {
          subscriptionId: subscription.id,
          sendResp: false,
          notification: { case: "valueChange", value: { paramPath: name, paramValue: value } },
        },
      }),
    );
  }

  /** Record bytes from the transport. */
  receive(bytes: Uint8Array) {
    let msg: Msg;
    let from: string;
    try {
      const record = decodeRecord(bytes);
      if (record.toId !== this.endpointId) {
        this.dropped.push(`to_id ${record.toId} is not ${this.endpointId}`);
        return;
      }
      if (record.kind === "disconnect") {
        this.dropped.push(`disconnect: ${record.reason}`);
        return;
      }
      if (record.kind !== "noSessionContext") return;
      from = record.fromId;
      msg = decodeMsg(record.payload);
    } catch (error) {
      this.dropped.push(error instanceof UspCodecError ? error.message : String(error));
      if (error instanceof UspCodecError && error.msgId) {
        this.sendMsg(errorMsg(error.msgId, { errCode: error.errCode, errMsg: error.message }));
      }
      return;
    }
    this.received.push(msg);
    for (const listener of this.listeners) listener();
    const reply = this.answer(msg);
    if (reply) this.sendMsg(reply, from);
  }

  /** Resolves when a received Msg satisfies `test`. */
  waitFor(test: (msg: Msg) => boolean, timeoutMs = 10_000): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find(test);
        if (!found) return false;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`${this.endpointId}: no matching Msg within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.listeners.add(check);
    });
  }

  sendMsg(msg: Msg, to = this.options.controllerId) {
    this.link?.send(
      encodeRecord({
        version: this.options.version,
        toId: to,
        fromId: this.endpointId,
        kind: "noSessionContext",
        payload: encodeMsg(msg),
      }),
    );
  }

  private nextId(): string {
    this.requests += 1;
    return `${this.endpointId}-${this.requests}`;
  }

  private answer(msg: Msg): Msg | null {
    const id = msg.header!.msgId;
    const body = msg.body!.msgBody;
    if (body.case !== "request") return null;
    const r = body.value.reqType;
    switch (r.case) {
      case "get":
        return responseMsg(id, {
          case: "getResp",
          value: { reqPathResults: r.value.paramPaths.map((p) => this.get(p)) },
        });
      case "set":
        return this.set(id, r.value);
      case "add":
        return this.add(id, r.value);
      case "delete":
        return this.delete(id, r.value);
      case "operate":
        return this.operate(id, r.value);
      case "getInstances":
        return responseMsg(id, {
          case: "getInstancesResp",
          value: {
            reqPathResults: r.value.objPaths.map((p) => ({
              requestedPath: p,
              currInsts: this.store
                .objects(p.endsWith(".") ? `${p}*.` : `${p}.*.`)
                .map((instantiatedObjPath) => ({ instantiatedObjPath })),
            })),
          },
        });
      case "getSupportedDm":
        return responseMsg(id, {
          case: "getSupportedDmResp",
          value: {
            reqObjResults: r.value.objPaths.map((p) => ({
              reqObjPath: p,
              dataModelInstUri: "urn:broadband-forum-org:tr-181-2-17-0-usp",
              supportedObjs: [{ supportedObjPath: p, isMultiInstance: /\{i\}\.$/.test(p) }],
            })),
          },
        });
      case "getSupportedProtocol":
        return responseMsg(id, {
          case: "getSupportedProtocolResp",
          value: { agentSupportedProtocolVersions: "1.0,1.3" },
        });
      default:
        return errorMsg(id, {
          errCode: USP_ERRORS.messageNotSupported,
          errMsg: `${r.case ?? "empty"} is not supported`,
        });
    }
  }

  private get(path: string) {
    const names = this.store.resolve(path);
    if (!names.length) {
      return { requestedPath: path, errCode: USP_ERRORS.invalidPath, errMsg: `Invalid path ${path}` };
    }
    const byObject = new Map<string, Record<string, string>>();
    for (const name of names) {
      const dot = name.lastIndexOf(".");
      const object = name.slice(0, dot + 1);
      const params = byObject.get(object) ?? {};
      params[name.slice(dot + 1)] = this.store.read(name) ?? "";
      byObject.set(object, params);
    }
    return {
      requestedPath: path,
      resolvedPathResults: [...byObject].map(([resolvedPath, resultParams]) => ({ resolvedPath, resultParams })),
    };
  }

  private set(id: string, set: SetBody): Msg {
    const failures: { param: string; code: number; message: string }[] = [];
    const planned: [string, string][] = [];
    for (const update of set.updateObjs) {
      const objects = this.store.objects(update.objPath);
      if (!objects.length) {
        failures.push({ param: update.objPath, code: USP_ERRORS.objectDoesNotExist, message: "Object does not exist" });
        continue;
      }
      for (const object of objects) {
        for (const s of update.paramSettings) {
          const name = `${object}${s.param}`;
          const p = this.store.params.get(name);
          if (!p)
            failures.push({ param: name, code: USP_ERRORS.unsupportedParameter, message: "Unsupported parameter" });
          else if (!p.writable) failures.push({ param: name, code: USP_ERRORS.notWritable, message: "Not writable" });
          else planned.push([name, s.value]);
        }
      }
    }
    if (failures.length) {
      return errorMsg(id, {
        errCode: USP_ERRORS.parameterActionFailed,
        errMsg: "Set failed",
        paramErrs: failures.map((f) => ({ paramPath: f.param, errCode: f.code, errMsg: f.message })),
      });
    }
    const changed = new Map<string, Record<string, string>>();
    for (const [name, value] of planned) {
      this.store.params.get(name)!.value = value;
      const dot = name.lastIndexOf(".");
      const object = name.slice(0, dot + 1);
      changed.set(object, { ...(changed.get(object) ?? {}), [name.slice(dot + 1)]: value });
    }
    return responseMsg(id, {
      case: "setResp",
      value: {
        updatedObjResults: set.updateObjs.map((u) => ({
          requestedPath: u.objPath,
          operStatus: {
            operStatus: {
              case: "operSuccess",
              value: {
                updatedInstResults: this.store
                  .objects(u.objPath)
                  .map((affectedPath) => ({ affectedPath, updatedParams: changed.get(affectedPath) ?? {} })),
              },
            },
          },
        })),
      },
    });
  }

  private add(id: string, add: AddBody): Msg {
    const results = add.createObjs.map((create) => {
      const values = Object.fromEntries(create.paramSettings.map((s) => [s.param, s.value]));
      if (create.objPath === "Device.LocalAgent.Subscription." && values.ID) {
        const taken = this.store
          .objects("Device.LocalAgent.Subscription.*.")
          .some((p) => this.store.params.get(`${p}ID`)?.value === values.ID);
        if (taken)
          return failure(create.objPath, USP_ERRORS.duplicateKey, `a subscription with ID ${values.ID} exists`);
      }
      if (!this.store.tables.has(create.objPath)) {
        return failure(create.objPath, USP_ERRORS.notCreatable, "Attempt to create non-creatable object");
      }
      const path = this.store.addInstance(create.objPath, values);
      return {
        requestedPath: create.objPath,
        operStatus: { operStatus: { case: "operSuccess" as const, value: { instantiatedPath: path } } },
      };
    });
    if (!add.allowPartial && results.some((r) => r.operStatus.operStatus.case === "operFailure")) {
      return errorMsg(id, { errCode: USP_ERRORS.objectNotCreated, errMsg: "Add failed" });
    }
    return responseMsg(id, { case: "addResp", value: { createdObjResults: results } });
  }

  private delete(id: string, del: DeleteBody): Msg {
    return responseMsg(id, {
      case: "deleteResp",
      value: {
        deletedObjResults: del.objPaths.map((p) => ({
          requestedPath: p,
          operStatus: {
            operStatus: this.store.deleteInstance(p)
              ? { case: "operSuccess" as const, value: { affectedPaths: [p] } }
              : {
                  case: "operFailure" as const,
                  value: { errCode: USP_ERRORS.objectDoesNotExist, errMsg: "Object does not exist" },
                },
          },
        })),
      },
    });
  }

  /** An OperationComplete for `op`, if a subscription asked for it. */
  private operationComplete(
    op: Pick<OperateBody, "command" | "commandKey">,
    result: { outputArgs: Record<string, string> } | { errCode: number; errMsg: string },
  ) {
    const subscription = this.store
      .subscriptions("OperationComplete")
      .find((s) => s.referenceList.some((ref) => op.command.startsWith(ref.replace(/\(\)$/, ""))));
    if (!subscription) return; // Nobody asked to hear the result.
    const dot = op.command.lastIndexOf(".", op.command.length - 3);
    this.sendMsg(
      requestMsg(this.nextId(), {
        case: "notify",
        value: {
          subscriptionId: subscription.id,
          sendResp: true,
          notification: {
            case: "operComplete",
            value: {
              objPath: op.command.slice(0, dot + 1),
              commandName: op.command.slice(dot + 1),
              commandKey: op.commandKey,
              operationResp:
                "outputArgs" in result
                  ? { case: "reqOutputArgs", value: { outputArgs: result.outputArgs } }
                  : { case: "cmdFailure", value: result },
            },
          },
        },
      }),
    );
  }

  private operate(id: string, op: OperateBody): Msg {
    const complete = (outputArgs: Record<string, string>) => this.operationComplete(op, { outputArgs });
    const firmware = FIRMWARE_COMMAND.exec(op.command);
    if (firmware) {
      const image = `${FIRMWARE_IMAGE}${firmware[1]}.`;
      if (!this.store.params.has(`${image}Status`)) {
        return errorMsg(id, { errCode: USP_ERRORS.invalidPath, errMsg: `${image} does not exist` });
      }
      return firmware[2] === "Download" ? this.downloadFirmware(id, op, image) : this.activateFirmware(id, op, image);
    }
    switch (op.command) {
      case "Device.Reboot()":
        setTimeout(() => void this.reboot("RemoteReboot", op.commandKey), this.options.commandMs);
        return responseMsg(id, {
          case: "operateResp",
          value: {
            operationResults: [{ executedCommand: op.command, operationResp: { case: "reqOutputArgs", value: {} } }],
          },
        });
      case "Device.IP.Diagnostics.IPPing()": {
        const request = this.store.addInstance("Device.LocalAgent.Request.", { Command: op.command, Status: "Active" });
        setTimeout(() => {
          this.store.deleteInstance(request);
          complete(ping(op.inputArgs));
        }, this.options.commandMs);
        return responseMsg(id, {
          case: "operateResp",
          value: {
            operationResults: [{ executedCommand: op.command, operationResp: { case: "reqObjPath", value: request } }],
          },
        });
      }
      default:
        return errorMsg(id, { errCode: USP_ERRORS.invalidPath, errMsg: `Unsupported command ${op.command}` });
    }
  }

  private async reboot(cause: string, commandKey: string, firmwareUpdated = false) {
    const link = this.link;
    if (link?.reconnect) await link.reconnect();
    this.sendBoot(cause, commandKey, firmwareUpdated);
  }

  /**
   * FirmwareImage.{i}.Download() (asynchronous): refuses a missing or non-HTTP(S) URL and, on a dual-bank agent,
   * the running image; then fetches the image, checks FileSize and CheckSum, marks the image Available, reports
   * OperationComplete and, with AutoActivate, reboots into it.
   */
  private downloadFirmware(id: string, op: OperateBody, image: string): Msg {
    const args = op.inputArgs;
    const refuse = (errCode: number, errMsg: string) =>
      responseMsg(id, {
        case: "operateResp",
        value: {
          operationResults: [
            { executedCommand: op.command, operationResp: { case: "cmdFailure", value: { errCode, errMsg } } },
          ],
        },
      });
    let url: URL;
    try {
      url = new URL(args.URL ?? "");
    } catch {
      return refuse(USP_ERRORS.invalidCommandArguments, `URL is not a URL: "${args.URL ?? ""}"`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return refuse(USP_ERRORS.invalidCommandArguments, `URL must be http or https, not ${url.protocol}`);
    }
    const autoActivate = uspBoolean(args.AutoActivate ?? "false");
    if (autoActivate === null) {
      return refuse(USP_ERRORS.invalidCommandArguments, `AutoActivate must be a boolean, not "${args.AutoActivate}"`);
    }
    if (args.CheckSum && (args.CheckSumAlgorithm ?? "") !== "SHA-256") {
      return refuse(
        USP_ERRORS.invalidCommandArguments,
        `CheckSumAlgorithm ${args.CheckSumAlgorithm ?? "(none)"} is not supported`,
      );
    }
    const active = this.store.read("Device.DeviceInfo.ActiveFirmwareImage");
    if ((this.firmware.images ?? 2) > 1 && active === image.slice(0, -1)) {
      return refuse(USP_ERRORS.commandFailure, `${image} is the running image; download into another one`);
    }
    const request = this.store.addInstance("Device.LocalAgent.Request.", {
      Command: op.command,
      CommandKey: op.commandKey,
      Status: "Active",
    });
    const set = (name: string, value: string) => {
      this.store.params.get(`${image}${name}`)!.value = value;
    };
    set("Status", "Downloading");
    void (async () => {
      const fail = (status: string, errMsg: string) => {
        set("Status", status);
        this.store.deleteInstance(request);
        this.operationComplete(op, { errCode: USP_ERRORS.commandFailure, errMsg });
      };
      let body: Buffer;
      if (this.firmware.downloadMs) await new Promise((resolve) => setTimeout(resolve, this.firmware.downloadMs));
      try {
        const reply = await fetch(url, { signal: AbortSignal.timeout(30_000) });
        if (!reply.ok) return fail("DownloadFailed", `Download failed: HTTP ${reply.status} for ${url.href}`);
        body = Buffer.from(await reply.arrayBuffer());
      } catch (error) {
        return fail("DownloadFailed", `Download failed: ${(error as Error).message}`);
      }
      set("Status", "Validating");
      const size = Number(args.FileSize ?? "0");
      if (size > 0 && body.length !== size) {
        return fail("ValidationFailed", `Validation failed: received ${body.length} bytes, FileSize says ${size}`);
      }
      if (args.CheckSum && createHash("sha256").update(body).digest("hex") !== args.CheckSum.toLowerCase()) {
        return fail("ValidationFailed", "Validation failed: the SHA-256 checksum does not match");
      }
      if (this.firmware.failure === "corrupt")
        return fail("ValidationFailed", "Validation failed: image signature invalid");
      const version =
        this.firmware.versionOf?.(url.href) ?? firmwareVersionFromFile({ url: url.href, targetFileName: "" });
      set("Name", decodeURIComponent(url.pathname.split("/").pop() ?? ""));
      set("Version", version);
      set("Available", "true");
      set("Status", "Available");
      this.store.deleteInstance(request);
      this.operationComplete(op, { outputArgs: {} });
      if (autoActivate) setTimeout(() => void this.bootInto(image, op.commandKey), this.options.commandMs);
    })();
    return responseMsg(id, {
      case: "operateResp",
      value: {
        operationResults: [{ executedCommand: op.command, operationResp: { case: "reqObjPath", value: request } }],
      },
    });
  }

  /** FirmwareImage.{i}.Activate() (asynchronous): reboots into an Available image; completes after the reboot. */
  private activateFirmware(id: string, op: OperateBody, image: string): Msg {
    if (this.store.read(`${image}Status`) !== "Available") {
      return responseMsg(id, {
        case: "operateResp",
        value: {
          operationResults: [
            {
              executedCommand: op.command,
              operationResp: {
                case: "cmdFailure",
                value: {
                  errCode: USP_ERRORS.commandFailure,
                  errMsg: `${image} holds no image to activate (Status ${this.store.read(`${image}Status`)})`,
                },
              },
            },
          ],
        },
      });
    }
    const request = this.store.addInstance("Device.LocalAgent.Request.", {
      Command: op.command,
      CommandKey: op.commandKey,
      Status: "Active",
    });
    setTimeout(async () => {
      await this.bootInto(image, op.commandKey);
      this.store.deleteInstance(request);
      this.operationComplete(op, { outputArgs: {} });
    }, this.options.commandMs);
    return responseMsg(id, {
      case: "operateResp",
      value: {
        operationResults: [{ executedCommand: op.command, operationResp: { case: "reqObjPath", value: request } }],
      },
    });
  }

  /** Reboots into `image`; with failure "rollback" the new image does not boot and the old one runs again. */
  private async bootInto(image: string, commandKey: string) {
    const set = (name: string, value: string) => {
      this.store.params.get(name)!.value = value;
    };
    const previous = `${this.store.read("Device.DeviceInfo.ActiveFirmwareImage")}.`;
    set("Device.DeviceInfo.BootFirmwareImage", image.slice(0, -1));
    const booted = this.firmware.failure !== "rollback";
    if (booted) {
      if (previous !== image) set(`${previous}Status`, "Available");
      set(`${image}Status`, "Active");
      set(`${image}BootFailureLog`, "");
      set("Device.DeviceInfo.ActiveFirmwareImage", image.slice(0, -1));
      set("Device.DeviceInfo.SoftwareVersion", this.store.read(`${image}Version`) ?? "");
    } else {
      set(`${image}Status`, "ActivationFailed");
      set(`${image}BootFailureLog`, "kernel panic: unable to mount root fs");
    }
    await this.reboot("RemoteReboot", commandKey, booted);
  }
}

function failure(requestedPath: string, errCode: number, errMsg: string) {
  return { requestedPath, operStatus: { operStatus: { case: "operFailure" as const, value: { errCode, errMsg } } } };
}

function matches(reference: string, name: string): boolean {
  const pattern = reference.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^.]+");
  return new RegExp(reference.endsWith(".") ? `^${pattern}` : `^${pattern}$`).test(name);
}

/** A plausible IPPing() result; hosts under .invalid do not resolve (RFC 6761). */
function ping(args: Record<string, string>): Record<string, string> {
  const host = args.Host ?? "";
  if (!host || host.endsWith(".invalid")) return { Status: "Error_CannotResolveHostName" };
  const count = Number(args.NumberOfRepetitions ?? "4") || 4;
  return {
    Status: "Complete",
    IPAddressUsed: "192.0.2.10",
    SuccessCount: String(count),
    FailureCount: "0",
    AverageResponseTime: "12",
    MinimumResponseTime: "9",
    MaximumResponseTime: "17",
  };
}

const FIRMWARE_IMAGE = "Device.DeviceInfo.FirmwareImage.";
const FIRMWARE_COMMAND = /^Device\.DeviceInfo\.FirmwareImage\.(\d+)\.(Download|Activate)\(\)$/;

/** A USP boolean (TR-369: "true", "false", "1" or "0"); null for anything else. */
function uspBoolean(value: string): boolean | null {
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return null;
}

export function newMsgId(): string {
  return randomUUID();
}

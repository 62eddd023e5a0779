import type {
  AddObject,
  AddObjectResponse,
  DeleteObject,
  DeleteObjectResponse,
  Fault,
  GetParameterAttributes,
  GetParameterAttributesResponse,
  GetParameterNames,
  GetParameterNamesResponse,
  GetParameterValues,
  GetParameterValuesResponse,
  ParameterAttributeStruct,
  ParameterValueStruct,
  SetParameterAttributes,
  SetParameterAttributesResponse,
  SetParameterValues,
  SetParameterValuesFault,
  SetParameterValuesResponse,
} from "@beacon/cwmp";
import { isInstanceNumber, leafOf, type ParameterNode } from "../model/device-model.ts";
import type { ParameterStore } from "./parameter-store.ts";
import { acceptValue, sameType } from "./values.ts";

/**
 * The parameter RPCs of TR-069 A.3.2 answered from a ParameterStore, with the fault codes real stacks use.
 * `read` gives the value as the device reports it (secrets empty, UpTime current).
 */

export interface ParameterAccess {
  readonly store: ParameterStore;
  read(name: string): string;
  /** TR-069 A.3.2.1 ParameterKey lives in ManagementServer.ParameterKey of the root. */
  readonly parameterKeyName: string;
}

function fault(faultCode: number, faultString?: string): Fault {
  return faultString === undefined ? { type: "Fault", faultCode } : { type: "Fault", faultCode, faultString };
}

/** A path as the RPCs take it: "" (everything), "X.Y." (an object and what is in it), or a parameter. */
function resolve(store: ParameterStore, path: string): { objectName: string } | { parameter: ParameterNode } | null {
  if (path === "") return { objectName: "" };
  const node = store.node(path);
  if (!node) return null;
  return node.object ? { objectName: path } : { parameter: node };
}

function* parametersUnder(store: ParameterStore, objectName: string): Generator<ParameterNode> {
  for (const node of store.descendants(objectName)) if (!node.object) yield node;
}

/** TR-069 A.3.2.3, including NextLevel: true lists only the direct children of the object. */
export function getParameterNames(
  access: ParameterAccess,
  request: GetParameterNames,
): GetParameterNamesResponse | Fault {
  const { store } = access;
  const target = resolve(store, request.parameterPath);
  if (!target) return fault(9005, `${request.parameterPath} is not a parameter or object of this device`);
  let nodes: Iterable<ParameterNode>;
  if ("parameter" in target) {
    if (request.nextLevel) return fault(9003, "NextLevel must be false for a parameter name");
    nodes = [target.parameter];
  } else if (request.nextLevel) {
    nodes = store
      .children(target.objectName)
      .map((n) => store.node(n))
      .filter((n): n is ParameterNode => n !== undefined);
  } else {
    nodes = target.objectName === "" ? store.descendants("") : store.subtree(target.objectName);
  }
  const parameterList = [];
  for (const node of nodes) parameterList.push({ name: node.name, writable: node.writable });
  return { type: "GetParameterNamesResponse", parameterList };
}

/** TR-069 A.3.2.2: one unknown name fails the whole request with 9005. */
export function getParameterValues(
  access: ParameterAccess,
  request: GetParameterValues,
): GetParameterValuesResponse | Fault {
  const { store } = access;
  const parameterList: ParameterValueStruct[] = [];
  const add = (node: ParameterNode) =>
    parameterList.push({ name: node.name, value: access.read(node.name), type: node.type });
  for (const path of request.parameterNames) {
    const target = resolve(store, path);
    if (!target) return fault(9005, `${path} is not a parameter or object of this device`);
    if ("parameter" in target) add(target.parameter);
    else for (const node of parametersUnder(store, target.objectName)) add(node);
  }
  return { type: "GetParameterValuesResponse", parameterList };
}

export interface SetValuesOptions {
  /** Also fail with 9006 when the xsi:type sent is not the parameter's type. Default false. */
  readonly strictTypes?: boolean;
}

/**
 * TR-069 A.3.2.1: all or nothing. Any bad entry makes the answer a 9003 Fault listing each bad parameter
 * (9005 unknown, 9008 not writable, 9006 wrong type, 9007 bad value) and nothing is applied. On success the
 * ParameterKey is stored and `changed` lists the names written.
 */
export function setParameterValues(
  access: ParameterAccess,
  request: SetParameterValues,
  options: SetValuesOptions = {},
): { readonly answer: SetParameterValuesResponse | Fault; readonly changed: readonly string[] } {
  const { store } = access;
  const problems: SetParameterValuesFault[] = [];
  const accepted: [string, string][] = [];
  for (const p of request.parameterList) {
    const node = store.node(p.name);
    const problem = (faultCode: number, faultString: string) =>
      problems.push({ parameterName: p.name, faultCode, faultString });
    if (!node || node.object) {
      problem(9005, "Invalid parameter name");
    } else if (!node.writable) {
      problem(9008, "Attempt to set a non-writable parameter");
    } else if (options.strictTypes && !sameType(node.type, p.type)) {
      problem(9006, `Invalid parameter type: expected ${node.type}`);
    } else {
      const value = acceptValue(node.type, p.value, store.value(node.name) ?? "");
      if (value === undefined) problem(9007, `Invalid parameter value for ${node.type}`);
      else accepted.push([node.name, value]);
    }
  }
  if (problems.length > 0) {
    return { answer: { type: "Fault", faultCode: 9003, setParameterValuesFault: problems }, changed: [] };
  }
  for (const [name, value] of accepted) store.setValue(name, value);
  setParameterKey(access, request.parameterKey);
  return { answer: { type: "SetParameterValuesResponse", status: 0 }, changed: accepted.map(([n]) => n) };
}

export function getParameterAttributes(
  access: ParameterAccess,
  request: GetParameterAttributes,
): GetParameterAttributesResponse | Fault {
  const { store } = access;
  const parameterList: ParameterAttributeStruct[] = [];
  const add = (node: ParameterNode) => parameterList.push({ name: node.name, ...store.attributesOf(node.name) });
  for (const path of request.parameterNames) {
    const target = resolve(store, path);
    if (!target) return fault(9005, `${path} is not a parameter or object of this device`);
    if ("parameter" in target) add(target.parameter);
    else for (const node of parametersUnder(store, target.objectName)) add(node);
  }
  return { type: "GetParameterAttributesResponse", parameterList };
}

/** Values that change all the time; stacks refuse active notification on them (9009). */
function refusesActiveNotification(name: string): boolean {
  return /(\.UpTime|\.CurrentLocalTime|Bytes(Sent|Received)|Packets(Sent|Received)|\.Stats\.[^.]+)$/.test(name);
}

/** TR-069 A.3.2.4: validated first, then applied to every parameter the (partial) names cover. */
export function setParameterAttributes(
  access: ParameterAccess,
  request: SetParameterAttributes,
): SetParameterAttributesResponse | Fault {
  const { store } = access;
  const changes: [ParameterNode, (typeof request.parameterList)[number]][] = [];
  for (const entry of request.parameterList) {
    const target = resolve(store, entry.name);
    if (!target) return fault(9005, `${entry.name} is not a parameter or object of this device`);
    if (entry.notificationChange && (entry.notification < 0 || entry.notification > 6)) {
      return fault(9003, `Notification ${entry.notification} is not 0-6`);
    }
    const nodes = "parameter" in target ? [target.parameter] : [...parametersUnder(store, target.objectName)];
    for (const node of nodes) {
      if (entry.notificationChange && entry.notification === 2 && refusesActiveNotification(node.name)) {
        return fault(9009, `Active notification is not available for ${node.name}`);
      }
      changes.push([node, entry]);
    }
  }
  for (const [node, entry] of changes) {
    const current = store.attributesOf(node.name);
    store.setAttributes(node.name, {
      notification: entry.notificationChange ? entry.notification : current.notification,
      accessList: entry.accessListChange ? entry.accessList : current.accessList,
    });
  }
  return { type: "SetParameterAttributesResponse" };
}

/** TR-069 A.3.2.6: ObjectName must be a writable table ("...PortMapping."). */
export function addObject(access: ParameterAccess, request: AddObject): AddObjectResponse | Fault {
  const { store } = access;
  const node = request.objectName.endsWith(".") ? store.node(request.objectName) : undefined;
  if (!node?.object || isInstanceNumber(leafOf(node.name))) {
    return fault(9005, `${request.objectName} is not a multi-instance object`);
  }
  if (!node.writable) return fault(9005, `${request.objectName} does not accept AddObject`);
  const instanceNumber = store.addObject(node.name);
  setParameterKey(access, request.parameterKey);
  return { type: "AddObjectResponse", instanceNumber, status: 0 };
}

/** TR-069 A.3.2.7: ObjectName must be a deletable instance ("...PortMapping.3."). */
export function deleteObject(access: ParameterAccess, request: DeleteObject): DeleteObjectResponse | Fault {
  const { store } = access;
  const node = request.objectName.endsWith(".") ? store.node(request.objectName) : undefined;
  if (!node?.object || !isInstanceNumber(leafOf(node.name))) {
    return fault(9005, `${request.objectName} is not an object instance`);
  }
  if (!node.writable) return fault(9005, `${request.objectName} cannot be deleted`);
  store.deleteObject(node.name);
  setParameterKey(access, request.parameterKey);
  return { type: "DeleteObjectResponse", status: 0 };
}

function setParameterKey(access: ParameterAccess, key: string): void {
  if (access.store.node(access.parameterKeyName)) access.store.setValue(access.parameterKeyName, key);
}

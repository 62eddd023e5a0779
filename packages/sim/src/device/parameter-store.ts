import type { XsdType } from "@beacon/cwmp";
import { type DeviceModel, isInstanceNumber, leafOf, type ParameterNode, parentOf } from "../model/device-model.ts";
import { defaultValue } from "./values.ts";

export interface ParameterAttributes {
  readonly notification: number;
  readonly accessList: readonly string[];
}

/**
 * One device's parameters: the shared model plus this device's differences. Every map is created on first
 * use, so a device that was never written to costs a few empty fields (fleets of tens of thousands).
 *
 * Layers, lowest first: the model's values, `factory` (what the device was built with: serial number,
 * ACS URL, credentials), then `values` (what changed since). A factory reset drops `values` and the
 * structural changes, and keeps `factory`.
 */
export class ParameterStore {
  private factory: Map<string, string> | undefined;
  private values: Map<string, string> | undefined;
  private attributes: Map<string, ParameterAttributes> | undefined;
  /** Nodes of instances created by AddObject. */
  private added: Map<string, ParameterNode> | undefined;
  private addedChildren: Map<string, string[]> | undefined;
  /** Model instances removed by DeleteObject (object names). */
  private deleted: Set<string> | undefined;
  private nextInstance: Map<string, number> | undefined;

  constructor(readonly model: DeviceModel) {}

  node(name: string): ParameterNode | undefined {
    const added = this.added?.get(name);
    if (added) return added;
    const node = this.model.node(name);
    return node && !this.isDeleted(name) ? node : undefined;
  }

  /** The stored value, secrets included; undefined for objects and unknown names. */
  value(name: string): string | undefined {
    const node = this.node(name);
    if (!node || node.object) return undefined;
    return this.values?.get(name) ?? this.factory?.get(name) ?? node.value;
  }

  /** Writes without checks (the caller validated it, or it is the device itself changing a value). */
  setValue(name: string, value: string): void {
    this.values ??= new Map();
    this.values.set(name, value);
  }

  /** A value the device was built with; it survives a factory reset. */
  setFactoryValue(name: string, value: string): void {
    this.factory ??= new Map();
    this.factory.set(name, value);
  }

  children(objectName: string): readonly string[] {
    const own = this.model.children(objectName);
    const extra = this.addedChildren?.get(objectName);
    const kept = this.deleted && this.deleted.size > 0 ? own.filter((n) => !this.isDeleted(n)) : own;
    return extra ? [...kept, ...extra] : kept;
  }

  /** The object and everything below it, depth first, in device order. */
  *subtree(objectName: string): Generator<ParameterNode> {
    const node = this.node(objectName);
    if (node) yield node;
    yield* this.descendants(objectName);
  }

  *descendants(objectName: string): Generator<ParameterNode> {
    for (const name of this.children(objectName)) {
      const node = this.node(name);
      if (!node) continue;
      yield node;
      if (node.object) yield* this.descendants(name);
    }
  }

  attributesOf(name: string): ParameterAttributes {
    const own = this.attributes?.get(name);
    if (own) return own;
    const node = this.node(name);
    return { notification: node?.notification ?? 0, accessList: node?.accessList ?? [] };
  }

  setAttributes(name: string, attributes: ParameterAttributes): void {
    this.attributes ??= new Map();
    this.attributes.set(name, attributes);
  }

  /** Parameters whose notification attribute is not off (for "4 VALUE CHANGE"). */
  notifying(name: string): number {
    return this.attributesOf(name).notification;
  }

  /**
   * TR-069 A.3.2.6: creates an instance of a writable table ("...PortMapping.") and returns its number. The
   * new instance copies the structure of the table's first instance, with empty values of each type.
   */
  addObject(tableName: string): number {
    const instances = this.children(tableName).filter((n) => isInstanceNumber(leafOf(n)));
    const highest = instances.reduce((max, n) => Math.max(max, Number(leafOf(n))), 0);
    const number = Math.max(this.nextInstance?.get(tableName) ?? 1, highest + 1);
    this.nextInstance ??= new Map();
    this.nextInstance.set(tableName, number + 1);

    const instanceName = `${tableName}${number}.`;
    const template = instances[0];
    const instanceWritable = template ? (this.node(template)?.writable ?? true) : true;
    this.addNode(tableName, { ...objectNode(instanceName), writable: instanceWritable });
    if (template) {
      for (const node of this.descendants(template)) {
        const name = instanceName + node.name.slice(template.length);
        this.addNode(
          parentOf(name),
          node.object ? { ...node, name, value: "" } : { ...node, name, value: defaultValue(node.type) },
        );
      }
    }
    this.updateEntryCount(tableName);
    return number;
  }

  /** TR-069 A.3.2.7: removes an instance ("...PortMapping.3.") and everything in it. */
  deleteObject(instanceName: string): void {
    if (this.added?.has(instanceName)) {
      for (const node of [...this.subtree(instanceName)]) {
        this.added.delete(node.name);
        this.addedChildren?.delete(node.name);
        this.values?.delete(node.name);
        this.attributes?.delete(node.name);
      }
      const siblings = this.addedChildren?.get(parentOf(instanceName));
      if (siblings) siblings.splice(siblings.indexOf(instanceName), 1);
    } else {
      this.deleted ??= new Set();
      this.deleted.add(instanceName);
    }
    this.updateEntryCount(parentOf(instanceName));
  }

  /**
   * The device itself refills a results table (a diagnostic's RouteHops, Result): its instances are dropped and
   * these take their place as 1..n, read-only. Nothing happens when the model has no such table.
   */
  replaceInstances(
    tableName: string,
    rows: readonly Readonly<Record<string, { readonly type: XsdType; readonly value: string }>>[],
  ): void {
    if (!this.node(tableName)?.object) return;
    for (const instance of this.children(tableName).filter((n) => isInstanceNumber(leafOf(n)))) {
      this.deleteObject(instance);
    }
    this.nextInstance?.delete(tableName);
    rows.forEach((row, index) => {
      const instanceName = `${tableName}${index + 1}.`;
      this.addNode(tableName, objectNode(instanceName));
      for (const [leaf, { type, value }] of Object.entries(row)) {
        const name = `${instanceName}${leaf}`;
        this.addNode(instanceName, {
          name,
          object: false,
          writable: false,
          type,
          value,
          notification: 0,
          accessList: [],
        });
      }
    });
    this.updateEntryCount(tableName);
  }

  /** Drops everything but the factory layer (FactoryReset). */
  reset(): void {
    this.values = undefined;
    this.attributes = undefined;
    this.added = undefined;
    this.addedChildren = undefined;
    this.deleted = undefined;
    this.nextInstance = undefined;
  }

  private addNode(parent: string, node: ParameterNode): void {
    this.added ??= new Map();
    this.addedChildren ??= new Map();
    this.added.set(node.name, node);
    if (node.object) this.addedChildren.set(node.name, this.addedChildren.get(node.name) ?? []);
    const siblings = this.addedChildren.get(parent);
    if (siblings) siblings.push(node.name);
    else this.addedChildren.set(parent, [node.name]);
  }

  /** "X.PortMapping." -> X.PortMappingNumberOfEntries, which stacks keep in step with the table. */
  private updateEntryCount(tableName: string): void {
    const counter = `${parentOf(tableName)}${leafOf(tableName)}NumberOfEntries`;
    if (!this.node(counter)) return;
    const count = this.children(tableName).filter((n) => isInstanceNumber(leafOf(n))).length;
    this.setValue(counter, String(count));
  }

  private isDeleted(name: string): boolean {
    if (!this.deleted || this.deleted.size === 0) return false;
    for (let k = name.indexOf("."); k !== -1; k = name.indexOf(".", k + 1)) {
      if (this.deleted.has(name.slice(0, k + 1))) return true;
    }
    return false;
  }
}

function objectNode(name: string): ParameterNode {
  return { name, object: true, writable: false, type: "xsd:string", value: "", notification: 0, accessList: [] };
}

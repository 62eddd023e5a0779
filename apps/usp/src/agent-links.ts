/**
 * Where a device's Records go now. A WebSocket agent is reachable through the connection it holds to this
 * process (one per endpoint: a new one replaces the old); an MQTT agent through the broker, at the topic it
 * gave. This is connection state, not session state: nothing about a task lives here.
 */
export interface AgentLink {
  endpointId: string;
  /** The Host the agent reached Beacon at (its WebSocket upgrade's Host header): Beacon's address for it. */
  host?: string;
  send(record: Uint8Array): void;
  close(code: number, reason: string): void;
}

export class AgentLinks {
  private byEndpoint = new Map<string, AgentLink>();
  private deviceOf = new Map<string, string>();
  private endpointOf = new Map<string, string>();

  /** Registers a connection; returns the one it replaces, if any. */
  add(link: AgentLink): AgentLink | undefined {
    const old = this.byEndpoint.get(link.endpointId);
    this.byEndpoint.set(link.endpointId, link);
    return old;
  }

  remove(link: AgentLink) {
    if (this.byEndpoint.get(link.endpointId) !== link) return;
    this.byEndpoint.delete(link.endpointId);
    const deviceId = this.deviceOf.get(link.endpointId);
    if (deviceId) this.endpointOf.delete(deviceId);
    this.deviceOf.delete(link.endpointId);
  }

  bindDevice(endpointId: string, deviceId: string) {
    if (!this.byEndpoint.has(endpointId)) return;
    this.deviceOf.set(endpointId, deviceId);
    this.endpointOf.set(deviceId, endpointId);
  }

  forDevice(deviceId: string): AgentLink | undefined {
    const endpointId = this.endpointOf.get(deviceId);
    return endpointId ? this.byEndpoint.get(endpointId) : undefined;
  }

  connectedDevices(): string[] {
    return [...this.endpointOf.keys()];
  }

  all(): AgentLink[] {
    return [...this.byEndpoint.values()];
  }
}

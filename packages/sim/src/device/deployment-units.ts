import { randomUUID } from "node:crypto";
import type { OperationStruct, OpResultStruct } from "@beacon/cwmp";

/**
 * The deployment units (software modules) a device has installed, for ChangeDUState (TR-069 A.4.1.10),
 * kept minimal: every operation succeeds unless it installs a unit twice (9026) or names one the device
 * lacks (9028).
 */
export class DeploymentUnits {
  /** UUID -> version. */
  private readonly units = new Map<string, string>();

  apply(operations: readonly OperationStruct[], tableName: string, now: string): OpResultStruct[] {
    return operations.map((op, k) => {
      const uuid = op.uuid ?? randomUUID();
      const base = {
        uuid,
        deploymentUnitRef: `${tableName}${k + 1}`,
        executionUnitRefList: "",
        startTime: now,
        completeTime: now,
      };
      const installed = this.units.get(uuid);
      const failed = (faultCode: number, version: string): OpResultStruct => ({
        ...base,
        version,
        currentState: "Failed",
        resolved: false,
        fault: { faultCode },
      });
      const done = (currentState: string, version: string): OpResultStruct => ({
        ...base,
        version,
        currentState,
        resolved: true,
        fault: { faultCode: 0 },
      });
      if (op.operation === "Install") {
        if (installed !== undefined) return failed(9026, installed);
        this.units.set(uuid, "1.0");
        return done("Installed", "1.0");
      }
      if (installed === undefined) return failed(9028, op.version ?? "");
      if (op.operation === "Update") {
        const version = op.version ?? "1.1";
        this.units.set(uuid, version);
        return done("Installed", version);
      }
      this.units.delete(uuid);
      return done("Uninstalled", installed);
    });
  }
}

import { emptyMessageCodec } from "../codec.ts";

/** TR-069 A.4.1.4 FactoryReset. */

export interface FactoryReset {
  readonly type: "FactoryReset";
}

export interface FactoryResetResponse {
  readonly type: "FactoryResetResponse";
}

export const factoryReset = emptyMessageCodec("FactoryReset");

export const factoryResetResponse = emptyMessageCodec("FactoryResetResponse");

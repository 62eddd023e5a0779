/**
 * @beacon/sim: simulated TR-069 CPEs for tests and benchmarks. A device plays a model (our fixtures in
 * src/models, or real devices' GenieACS exports from ../shared), answers every ACS RPC the way real stacks
 * do, and holds sessions with the ACS over real HTTP; a fleet runs many of them in one process.
 */

export {
  type ConnectionRequestListener,
  type ConnectionRequestListenerOptions,
  type ConnectionRequestStats,
  startConnectionRequestListener,
} from "./connection-request/listener.ts";
export {
  parseUdpConnectionRequest,
  type UdpConnectionRequest,
  udpConnectionRequestMessage,
  udpSignature,
} from "./connection-request/udp-message.ts";
export {
  type AcsRequestType,
  cwmpNamespaceOf,
  type DeviceBehaviour,
  type DeviceTiming,
  type SimulatedDeviceOptions,
} from "./device/device-options.ts";
export type { FirmwareFailure } from "./device/firmware-install.ts";
export { type OpticalLevel, opticalRamp, opticalRxValue } from "./device/optical-signal.ts";
export type { ParameterAttributes } from "./device/parameter-store.ts";
export { createSimulatedDevice, SimulatedDevice } from "./device/simulated-device.ts";
export type { CpeStackQuirks } from "./device/stack-quirks.ts";
export type { QueuedTransfer } from "./device/transfer-queue.ts";
export { type WifiClientWatch, watchWifiClients } from "./device/wifi-clients.ts";
export {
  createFleet,
  Fleet,
  type FleetMisbehaviour,
  type FleetOptions,
  type FleetStats,
} from "./fleet/fleet.ts";
export {
  buildDeviceModel,
  type DataModelRoot,
  type DeviceIdentity,
  type DeviceModel,
  type DeviceModelSource,
  type ParameterNode,
  type ParameterRow,
  standardInformParameters,
} from "./model/device-model.ts";
export { type FixtureEntry, type FixtureType, fixtureModel, type ModelFixture } from "./model/fixture.ts";
export { loadGenieacsDump, readGenieacsDump } from "./model/genieacs-dump.ts";
export { listModels, loadModel, type ModelInfo, ModelNotFound, type ModelOptions } from "./model/registry.ts";
export { sharedDir } from "./model/shared-dir.ts";
export { type FiasPmsOptions, FiasPmsStandIn, type ReceivedRecord } from "./pms/fias-pms.ts";
export type { SessionExchange, SessionOutcome, SessionTranscript } from "./session/transcript.ts";
export {
  basicAuthorization,
  type Challenge,
  type DigestAlgorithm,
  DigestSession,
  DigestVerifier,
  parseChallenges,
} from "./transport/http-auth.ts";
export { connectMqttAgent, type MqttAgentOptions } from "./usp/mqtt-agent.ts";
export { type AgentIdentity, Tr181Store } from "./usp/tr181-store.ts";
export { type AgentLink, type FirmwareOptions, SimulatedUspAgent, type UspAgentOptions } from "./usp/usp-agent.ts";
export {
  connectWebSocketAgent,
  type WebSocketAgentConnection,
  type WebSocketAgentOptions,
} from "./usp/websocket-agent.ts";

import { encodeRecord } from "@beacon/usp";
import mqtt, { type MqttClient } from "mqtt";
import type { SimulatedUspAgent } from "./usp-agent.ts";

export interface MqttAgentOptions {
  /** mqtt:// URL of the broker. */
  url: string;
  /** 5, or 4 for MQTT 3.1.1 (reply-to carried in the topic). */
  protocolVersion: 4 | 5;
  /** The Controller's topic. */
  controllerTopic: string;
  /** The topic this agent subscribes to; default usp/agent/<endpoint id>. */
  agentTopic?: string;
  username?: string;
  password?: string;
}

/**
 * The agent's MQTT MTP (TR-369 "MQTT Binding"). MQTT 5: the usp-endpoint-id user property on CONNECT, the
 * agent's topic as Response Topic and content type "usp.msg" on every PUBLISH. MQTT 3.1.1: the agent's topic
 * appended to the Controller's as "/reply-to=<topic with / as %2F>".
 */
export async function connectMqttAgent(agent: SimulatedUspAgent, options: MqttAgentOptions): Promise<MqttClient> {
  const agentTopic = options.agentTopic ?? `usp/agent/${agent.endpointId}`;
  const client = await mqtt.connectAsync(options.url, {
    protocolVersion: options.protocolVersion,
    clientId: `sim-${agent.endpointId}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64),
    username: options.username,
    password: options.password,
    reconnectPeriod: 0,
    ...(options.protocolVersion === 5
      ? { properties: { userProperties: { "usp-endpoint-id": agent.endpointId } } }
      : {}),
  });
  await client.subscribeAsync(options.protocolVersion === 5 ? agentTopic : [agentTopic, `${agentTopic}/#`], { qos: 1 });
  client.on("message", (_topic, payload) => agent.receive(new Uint8Array(payload)));
  const publish = (record: Uint8Array) => {
    if (options.protocolVersion === 5) {
      client.publish(options.controllerTopic, Buffer.from(record), {
        qos: 1,
        properties: { responseTopic: agentTopic, contentType: "usp.msg" },
      });
    } else {
      client.publish(`${options.controllerTopic}/reply-to=${agentTopic.replace(/\//g, "%2F")}`, Buffer.from(record), {
        qos: 1,
      });
    }
  };
  agent.attach({ send: publish, reconnect: async () => {} });
  publish(
    encodeRecord({
      version: agent.options.version,
      toId: agent.options.controllerId,
      fromId: agent.endpointId,
      kind: "mqttConnect",
      mqttVersion: options.protocolVersion === 5 ? "5" : "3.1.1",
      subscribedTopic: agentTopic,
    }),
  );
  return client;
}

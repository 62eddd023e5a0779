import mqtt, { type IPublishPacket, type MqttClient } from "mqtt";
import type { Logger } from "./log.ts";

/** Content types of a USP Record over MQTT 5: "usp.msg" since USP 1.2, the older media type still accepted. */
const CONTENT_TYPES = new Set(["usp.msg", "application/vnd.bbf.usp.msg"]);
const REPLY_TO = /\/reply-to=([^/]+)$/;

export interface MqttRecord {
  bytes: Uint8Array;
  /** The topic the agent wants answers on. */
  replyTopic: string;
  version: "mqtt5" | "mqtt3";
}

export interface MqttMtp {
  client: MqttClient;
  /** Publishes a Record to an agent the way its MQTT version expects. */
  send(replyTopic: string, version: "mqtt5" | "mqtt3", record: Uint8Array): void;
  close(): Promise<void>;
}

/**
 * Beacon as an MQTT client of the operator's broker (TR-369 MQTT binding). It connects with MQTT 5 and its
 * endpoint id as the usp-endpoint-id user property, subscribes to its topic (and below it, where MQTT 3.1.1
 * agents append "/reply-to=<their topic>"), and learns each agent's topic from the Response Topic property or
 * that suffix. A PUBLISH without either, or with another content type, is dropped with a log line.
 */
export async function connectMqttMtp(options: {
  url: string;
  topic: string;
  endpointId: string;
  username?: string;
  password?: string;
  recordLimitBytes: number;
  log: Logger;
  onRecord: (record: MqttRecord) => void;
}): Promise<MqttMtp> {
  const client = await mqtt.connectAsync(options.url, {
    protocolVersion: 5,
    clientId: `beacon-usp-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    username: options.username,
    password: options.password,
    reconnectPeriod: 2000,
    properties: { userProperties: { "usp-endpoint-id": options.endpointId } },
  });
  client.on("error", (error) => options.log.warn("MQTT broker error", { err: error }));
  await client.subscribeAsync([options.topic, `${options.topic}/#`], { qos: 1 });
  client.on("message", (topic, payload, packet: IPublishPacket) => {
    const contentType = packet.properties?.contentType;
    if (contentType !== undefined && !CONTENT_TYPES.has(contentType)) {
      options.log.warn("MQTT message with another content type dropped", { topic, contentType });
      return;
    }
    if (payload.byteLength > options.recordLimitBytes) {
      options.log.warn("oversized MQTT message dropped", { topic, bytes: payload.byteLength });
      return;
    }
    const responseTopic = packet.properties?.responseTopic;
    const suffix = REPLY_TO.exec(topic)?.[1];
    const replyTopic = responseTopic ?? suffix?.replace(/%2F/gi, "/");
    if (!replyTopic) {
      options.log.warn("MQTT message without Response Topic or reply-to dropped", { topic });
      return;
    }
    options.onRecord({ bytes: new Uint8Array(payload), replyTopic, version: responseTopic ? "mqtt5" : "mqtt3" });
  });
  const ownTopic = options.topic;
  return {
    client,
    send(replyTopic, version, record) {
      if (version === "mqtt5") {
        client.publish(replyTopic, Buffer.from(record), {
          qos: 1,
          properties: { contentType: "usp.msg", responseTopic: ownTopic },
        });
      } else {
        client.publish(`${replyTopic}/reply-to=${ownTopic.replace(/\//g, "%2F")}`, Buffer.from(record), { qos: 1 });
      }
    },
    close: () => client.endAsync(),
  };
}

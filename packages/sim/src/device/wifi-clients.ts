import type { SessionTranscript } from "../session/transcript.ts";

/**
 * Which networks an ACS disconnected the clients of, as a test sees it from the device's side: a network's
 * clients are dropped when the ACS switches it off (WLANConfiguration.{i}.Enable, WiFi.SSID.{i}.Enable or
 * WiFi.AccessPoint.{i}.Enable = false) and later back on, or sends a vendor kick parameter (X_..._Kick...).
 */
export interface WifiClientWatch {
  /** Network objects ("...WLANConfiguration.2.") whose clients were dropped, in order. */
  readonly dropped: readonly string[];
  /** Stops watching. */
  stop(): void;
}

const ENABLE = /^(.*\.(?:WLANConfiguration|WiFi\.SSID|WiFi\.AccessPoint)\.\d+\.)Enable$/;
const KICK = /^(.*\.(?:WLANConfiguration|WiFi\.SSID|WiFi\.AccessPoint)\.\d+\.)X_[^.]*Kick[^.]*$/i;

export function watchWifiClients(device: {
  onSession(listener: (transcript: SessionTranscript) => void): () => void;
}): WifiClientWatch {
  const dropped: string[] = [];
  const off = new Set<string>();
  const stop = device.onSession((transcript) => {
    transcript.exchanges.forEach((exchange, index) => {
      const request = exchange.received;
      if (request?.type !== "SetParameterValues") return;
      // Only what the device accepted counts: the next POST carries its answer.
      const answer = transcript.exchanges[index + 1]?.sent;
      if (answer?.type !== "SetParameterValuesResponse") return;
      for (const p of request.parameterList) {
        const kick = KICK.exec(p.name);
        if (kick && /^(true|1)$/i.test(p.value)) dropped.push(kick[1]!);
        const enable = ENABLE.exec(p.name);
        if (!enable) continue;
        const object = enable[1]!;
        if (/^(false|0)$/i.test(p.value)) off.add(object);
        else if (off.delete(object)) dropped.push(object);
      }
    });
  });
  return { dropped, stop };
}

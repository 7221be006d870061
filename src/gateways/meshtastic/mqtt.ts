import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import { MESH_SEND_INTERVAL_MS } from '../../domain/mesh-outbox.ts';
import { MeshtasticInbound } from './inbound.ts';
import type { GatewayLogger } from './logger.ts';
import { MeshtasticOutbound } from './outbound.ts';
import type { MeshtasticServices } from './services.ts';

export interface MeshtasticMqttOptions {
  /** The broker the mesh's gateway nodes publish to: `mqtt://user:pass@host:1883` or `mqtts://…`. */
  url: string;
  /** The gateways' root topic (default `msh`). */
  root?: string;
  logger: GatewayLogger;
  /** Least time between two texts into one mesh (default 30 s). */
  sendIntervalMs?: number;
  /** How often due texts are sent (default every second); 0: never by itself (tests call `pump`). */
  pumpEveryMs?: number;
  reconnectPeriodMs?: number;
  /** Clustered mode: the nodes subscribe as one shared group, so that each packet is handled once. */
  shared?: boolean;
  now?: () => Date;
}

export interface MeshtasticMqtt {
  /** Resolves once connected and subscribed (now, or at the next connection). */
  ready(): Promise<void>;
  /** Sends the texts that are due now; returns how many went out. */
  pump(): number;
  /** Resolves when every packet received so far has been handled. */
  idle(): Promise<void>;
  readonly outbound: MeshtasticOutbound;
  readonly client: MqttClient;
  close(): Promise<void>;
}

/**
 * Meshtastic over MQTT: Howl reads the JSON the gateway nodes publish (`<root>/<region>/2/json/<channel>/
 * <!gateway>`, see inbound.ts) and sends alerts and messages back through their JSON downlink (see
 * outbound.ts). Encrypted protobuf packets (`…/2/e/…`) are not subscribed to. Reconnects by itself; a bad
 * packet is logged and dropped, and the connection is kept.
 */
export async function startMeshtasticMqtt(
  services: MeshtasticServices,
  opts: MeshtasticMqttOptions,
): Promise<MeshtasticMqtt> {
  const root = normaliseRoot(opts.root ?? 'msh');
  const log = opts.logger;
  const now = opts.now ?? (() => new Date());
  const share = opts.shared ? '$share/howl-mesh/' : '';
  // The region may be none (firmware before 2.3) or up to three levels (`US/CA/Motherlode`).
  const topics = ['', '+/', '+/+/', '+/+/+/'].map((r) => `${share}${root}/${r}2/json/#`);
  const client = connect(opts.url, {
    clientId: `howl-mesh-${randomBytes(6).toString('hex')}`,
    reconnectPeriod: opts.reconnectPeriodMs ?? 2000,
    reconnectOnConnackError: true,
    connectTimeout: 10_000,
    keepalive: 30,
  });
  const outbound = new MeshtasticOutbound({
    services,
    root,
    now,
    log,
    intervalMs: opts.sendIntervalMs ?? MESH_SEND_INTERVAL_MS,
    publish: (topic, payload) =>
      client.publish(topic, payload, { qos: 1 }, (err) => {
        if (err) log.warn({ err, topic }, 'meshtastic: downlink publish failed');
      }),
  });
  const inbound = new MeshtasticInbound(services, root, log, outbound, now);

  let chain: Promise<unknown> = Promise.resolve();
  client.on('message', (topic, payload) => {
    // One at a time, in order: a node's position and its next one are stored in the order sent.
    chain = chain
      .then(() => inbound.handle(topic, payload))
      .catch((err) => log.error({ err, topic }, 'meshtastic: packet dropped after an error'));
  });

  let subscribed = false;
  let waiters: Array<() => void> = [];
  client.on('connect', () => {
    log.info({ root, topics }, 'meshtastic: connected to the broker');
    client
      .subscribeAsync(topics, { qos: 0 })
      .then((granted) => {
        const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
        if (refused.length > 0)
          log.error({ refused }, 'meshtastic: the broker refused a subscription (ACL?)');
        subscribed = true;
        for (const w of waiters.splice(0)) w();
      })
      .catch((err) => log.warn({ err }, 'meshtastic: subscribing failed; trying at the next connection'));
  });
  client.on('close', () => {
    subscribed = false;
  });
  let lastErrorAt = 0;
  client.on('error', (err) => {
    if (Date.now() - lastErrorAt < 60_000) return;
    lastErrorAt = Date.now();
    log.warn({ err }, 'meshtastic: MQTT error');
  });

  const pumpEvery = opts.pumpEveryMs ?? 1000;
  const timer =
    pumpEvery > 0
      ? setInterval(() => {
          if (client.connected) outbound.pump();
        }, pumpEvery)
      : undefined;
  timer?.unref();

  return {
    client,
    outbound,
    ready: () => (subscribed ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    pump: () => outbound.pump(),
    idle: () => chain.then(() => undefined),
    async close() {
      if (timer) clearInterval(timer);
      outbound.stop();
      await client.endAsync(!client.connected);
      await chain.catch(() => undefined);
      waiters = [];
    },
  };
}

function normaliseRoot(root: string): string {
  const r = root.trim().replace(/\/+$/, '');
  if (r === '' || /[+#]/.test(r))
    throw new Error(`meshtastic: topic root ${JSON.stringify(root)} is not a topic`);
  return r;
}

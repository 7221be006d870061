import { randomBytes } from 'node:crypto';
import { connect, type ErrorWithReasonCode, type MqttClient } from 'mqtt';
import { type AppTopics, appTopics } from './identity.ts';
import type { OwnTracksLogger } from './logger.ts';
import { OwnTracksMqttInbound } from './mqtt-inbound.ts';
import { OwnTracksMqttOutbound } from './mqtt-outbound.ts';
import type { OwnTracksServices } from './services.ts';

export interface OwnTracksMqttOptions {
  /** `mqtt://user:pass@host:1883`, or `mqtts://…` for TLS. */
  url: string;
  /**
   * The topic root (default `owntracks`). Each team has its own space under it, `ROOT/<team key>`
   * (see identity.ts): its apps' base topic.
   */
  baseTopic?: string;
  logger: OwnTracksLogger;
  /**
   * A stable client id gives a persistent session: the broker keeps QoS 1 messages while Howl is away.
   * Default: a random id and a clean session. Two Howl processes must not share one.
   */
  clientId?: string;
  /** Wait between reconnect attempts (default 2 s). */
  reconnectPeriodMs?: number;
  /**
   * Clustered mode: the nodes subscribe as one shared group (`$share/howl/…`), so that the broker hands
   * each message to one node only, and it is stored once.
   */
  shared?: boolean;
  /** How long start waits for the broker before going on and retrying in the background (default 15 s). */
  connectWaitMs?: number;
  now?: () => Date;
}

export interface OwnTracksMqtt {
  close(): Promise<void>;
  /** Resolves once connected and subscribed (now, or at the next connection). */
  ready(): Promise<void>;
  /** The MQTT.js client, for tests that drop its connection. */
  readonly client: MqttClient;
  /** What a team's apps publish to and subscribe to, for setup screens. */
  appTopics(teamId: string): AppTopics;
}

const DEFAULT_ROOT = 'owntracks';

/**
 * OwnTracks in MQTT mode: Howl connects to the teams' broker as one more client. Each team has its own
 * topic space, `ROOT/<team key>` (see identity.ts): Howl subscribes to `ROOT/+/+/+` (locations, lwt),
 * `ROOT/+/+/+/event` (transitions) and `ROOT/+/+/+/waypoints` (regions), takes what registered devices
 * (`USER-DEVICE`) send in their own team's space (see mqtt-inbound.ts, ingest.ts), and publishes each team
 * only in its space, `ROOT/<team key>/howl/…` (see mqtt-outbound.ts). It still reads the shared layout of
 * earlier versions (`ROOT/USER/DEVICE[/LEAF]`) from registered devices, and deletes the retained copies an
 * earlier Howl left under `ROOT/howl/…`. It reconnects by itself (every `reconnectPeriodMs`) and subscribes
 * again on every connection. A message is acknowledged to the broker only once handled, one at a time, in
 * order.
 */
export async function startOwnTracksMqtt(
  services: OwnTracksServices,
  opts: OwnTracksMqttOptions,
): Promise<OwnTracksMqtt> {
  const root = normaliseRoot(opts.baseTopic ?? DEFAULT_ROOT);
  const log = opts.logger;
  const broker = redact(opts.url);
  // No two filters match one topic: a broker may deliver a message once per matching filter.
  const share = opts.shared ? '$share/howl/' : '';
  const topics = [
    // The shared layout of earlier versions: ROOT/USER/DEVICE.
    `${share}${root}/+/+`,
    // ROOT/<team>/USER/DEVICE, and the earlier ROOT/USER/DEVICE/LEAF (inbound reads the leaves it uses).
    `${share}${root}/+/+/+`,
    `${share}${root}/+/+/+/event`,
    `${share}${root}/+/+/+/waypoints`,
    `${share}${root}/+/+/+/waypoint`,
  ];
  const client = connect(opts.url, {
    clientId: opts.clientId ?? `howl-${randomBytes(6).toString('hex')}`,
    clean: opts.clientId === undefined,
    reconnectPeriod: opts.reconnectPeriodMs ?? 2000,
    reconnectOnConnackError: true,
    connectTimeout: 10_000,
    keepalive: 30,
    // Howl subscribes on every connection itself, so it can publish the team again afterwards.
    resubscribe: false,
  });
  const outbound = new OwnTracksMqttOutbound({
    services,
    root,
    log,
    now: opts.now ?? (() => new Date()),
    publish: (topic, payload, retain) =>
      client.publish(topic, payload, { qos: 1, retain }, (err) => {
        if (err) log.warn({ err, topic }, 'owntracks: publish failed');
      }),
  });
  const inbound = new OwnTracksMqttInbound(services, root, log, {
    seen: (owner, appTopic) => outbound.seen(owner, appTopic),
    leftover: (topic) => {
      log.info({ topic }, 'owntracks: deleting a retained copy an earlier Howl left outside the team spaces');
      client.publish(topic, '', { qos: 1, retain: true }, (err) => {
        if (err) log.warn({ err, topic }, 'owntracks: publish failed');
      });
    },
  });

  const inFlight = new Set<Promise<void>>();
  client.handleMessage = (packet, done) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const work = inbound
      .handle(packet.topic, payload, packet.retain)
      .catch((err) => log.error({ err, topic: packet.topic }, 'owntracks: message dropped after an error'))
      .finally(() => {
        inFlight.delete(work);
        done();
      });
    inFlight.add(work);
  };

  let connections = 0;
  let subscribed = false;
  let waiters: Array<() => void> = [];
  const onSubscribed = () => {
    subscribed = true;
    for (const w of waiters.splice(0)) w();
  };
  client.on('connect', () => {
    connections++;
    const again = connections > 1;
    log.info(
      { broker, root, topics, again },
      again ? 'owntracks: reconnected to the broker' : 'owntracks: connected',
    );
    client
      .subscribeAsync(Object.fromEntries(topics.map((t) => [t, { qos: 1 as const }])))
      .then(async (granted) => {
        const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
        if (refused.length > 0)
          log.error({ broker, refused }, 'owntracks: the broker refused a subscription (ACL?)');
        onSubscribed();
        if (again) await outbound.republish();
      })
      .catch((err) =>
        log.warn({ err, broker }, 'owntracks: subscribing failed; trying at the next connection'),
      );
  });
  client.on('close', () => {
    subscribed = false;
  });
  // While the broker is down every retry fails the same way: say so once a minute, not every few seconds.
  let lastError = { key: '', at: 0 };
  client.on('offline', () => {
    if (lastError.at === 0 || Date.now() - lastError.at >= 60_000)
      log.warn({ broker }, 'owntracks: broker unreachable, reconnecting');
  });
  client.on('error', (err) => {
    const key = `${(err as { code?: unknown }).code ?? ''}:${err.message}`;
    const at = Date.now();
    if (key === lastError.key && at - lastError.at < 60_000) return;
    lastError = { key, at };
    log.warn({ err, broker }, 'owntracks: MQTT error');
  });

  const ready = () => (subscribed ? Promise.resolve() : new Promise<void>((r) => waiters.push(r)));
  await firstConnection(client, ready(), opts.connectWaitMs ?? 15_000, () =>
    log.warn({ broker }, 'owntracks: broker not reachable yet; Howl starts and keeps trying'),
  );

  return {
    client,
    ready,
    appTopics: (teamId) => appTopics(root, teamId),
    async close() {
      outbound.stop();
      await client.endAsync(!client.connected);
      await Promise.allSettled([...inFlight]);
      waiters = [];
    },
  };
}

/** Waits for the first subscription; a broker refusing the credentials fails the start, a silent one does not. */
function firstConnection(
  client: MqttClient,
  ready: Promise<void>,
  waitMs: number,
  late: () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      client.off('error', refused);
    };
    const timer = setTimeout(() => {
      done();
      late();
      resolve();
    }, waitMs);
    const refused = (err: Error | ErrorWithReasonCode) => {
      if (!('code' in err) || typeof err.code !== 'number') return;
      done();
      client.end(true);
      reject(new Error(`owntracks: the MQTT broker refused the connection: ${err.message}`));
    };
    client.on('error', refused);
    void ready.then(() => {
      done();
      resolve();
    });
  });
}

function normaliseRoot(root: string): string {
  const r = root.trim().replace(/\/+$/, '');
  if (r === '' || /[+#]/.test(r))
    throw new Error(`owntracks: topic root ${JSON.stringify(root)} is not a topic`);
  return r;
}

/** The broker's URL without its password, for logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

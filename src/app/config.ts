import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { PublicUrls } from '../services/teams/members.service.ts';

const Port = z.coerce.number().int().min(0).max(65535);

/** A rate limit a second: a number from 0 (no limit) to a million, `off` for 0. */
const perSecond = (fallback: number) =>
  z
    .string()
    .regex(/^(off|\d+(\.\d+)?)$/, 'a number of requests a second, or off')
    .transform((v) => (v === 'off' ? 0 : Number(v)))
    .refine((n) => n <= 1_000_000, 'at most 1000000')
    .default(fallback);

const Env = z.object({
  PORT: Port.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  HOWL_HTTPS_PORT: Port.default(8443),
  HOWL_TLS_CERT: z.string().optional(),
  HOWL_TLS_KEY: z.string().optional(),
  HOWL_PUBLIC_URL: z.url().optional(),
  HOWL_TILES: z.string().optional(),
  HOWL_TEAM: z.string().trim().min(1).max(80).default('My team'),
  HOWL_OSMAND_PORT: Port.default(5055),
  HOWL_COT_PORT: Port.default(8087),
  HOWL_COT_TLS_PORT: z.union([z.literal('off'), Port], { error: 'a port number, or off' }).optional(),
  HOWL_COT_TLS_CERT: z.string().optional(),
  HOWL_COT_TLS_KEY: z.string().optional(),
  HOWL_COT_TLS_CA: z.string().optional(),
  HOWL_MQTT_URL: z
    .string()
    .regex(/^mqtts?:\/\//, 'must be an mqtt:// or mqtts:// URL')
    .optional(),
  HOWL_MQTT_TOPIC: z
    .string()
    .regex(/^[^#+]+$/, 'a topic without wildcards')
    .optional(),
  HOWL_APRS_IS: z
    .string()
    .regex(
      /^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/,
      'host:port of an APRS-IS server, e.g. rotate.aprs2.net:14580',
    )
    .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'the port is at most 65535')
    .optional(),
  HOWL_APRS_CALLSIGN: z
    .string()
    .regex(/^[A-Za-z0-9]{1,6}(-[A-Za-z0-9]{1,2})?$/, 'a callsign with an optional SSID, e.g. N0CALL-10')
    .transform((v) => v.toUpperCase())
    .optional(),
  HOWL_MESHTASTIC_URL: z
    .string()
    .regex(/^mqtts?:\/\//, 'must be an mqtt:// or mqtts:// URL')
    .optional(),
  HOWL_MESHTASTIC_ROOT: z
    .string()
    .regex(/^[^#+]+$/, 'a topic without wildcards')
    .default('msh'),
  HOWL_MESHTASTIC_SEND_S: z.coerce
    .number({ error: 'seconds between two texts into the mesh' })
    .int('whole seconds')
    .min(1)
    .max(3600)
    .default(30),
  HOWL_INREACH_POLL_S: z.coerce
    .number({ error: 'seconds between two polls of each MapShare feed' })
    .int('whole seconds')
    .min(10)
    .max(86_400)
    .default(120),
  HOWL_DATA_DIR: z.string().optional(),
  HOWL_PUSH_ALLOWED_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https:\/\/[^/\s]+$/, 'comma-separated https:// origins (no path)')))
    .optional(),
  HOWL_PUSH_SUBJECT: z
    .string()
    .regex(/^(https:\/\/|mailto:)\S+$/, 'an https: URL or a mailto: address')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  HOWL_NATS_URL: z
    .string()
    .regex(/^(nats|tls|wss?):\/\/\S+$/, 'must be a nats:// URL')
    .optional(),
  HOWL_LIMIT_DEVICE_PER_S: perSecond(20),
  HOWL_LIMIT_ADDRESS_PER_S: perSecond(500),
  HOWL_LIMIT_TOKEN_PER_S: perSecond(50),
});

export interface Config {
  port: number;
  host: string;
  httpsPort: number;
  tlsCert?: string;
  tlsKey?: string;
  publicUrl?: string;
  tiles?: string;
  teamName: string;
  osmandPort: number;
  cotPort: number;
  /** The CoT listener over TLS; null when off. */
  cotTlsPort: number | null;
  cotTlsCert?: string;
  cotTlsKey?: string;
  /** CA whose client certificates bind a TAK connection by their CN. */
  cotTlsCa?: string;
  mqttUrl?: string;
  /** OwnTracks' topic root (default `owntracks`): each team's apps use their own space, `ROOT/<team key>`. */
  mqttTopic?: string;
  /** APRS-IS, receive only: the server (`host:port`) and the callsign Howl logs in with (`pass -1`). */
  aprs?: { server: string; callsign: string };
  /** Meshtastic: the broker the mesh's gateway nodes publish JSON to; off when unset. */
  meshtasticUrl?: string;
  /** The gateways' MQTT root topic (default `msh`). */
  meshtasticRoot: string;
  /** Least time between two texts Howl sends into one mesh, in seconds (default 30). */
  meshtasticSendS: number;
  /** How often each member's Garmin MapShare feed is polled, in seconds (default 120). */
  inreachPollS: number;
  dataDir: string;
  databaseUrl?: string;
  /** Push services besides the browsers' own, e.g. a self-hosted one. */
  pushAllowedOrigins: string[];
  /** The VAPID subject; default: the server's HTTPS address. */
  pushSubject?: string;
  /** Clustered mode: the NATS server the nodes that share `databaseUrl` talk through. */
  natsUrl?: string;
  /** Requests a second (0: no limit) per device and per address on ingest, per token on the API. */
  limits: { devicePerS: number; addressPerS: number; tokenPerS: number };
}

/** Reads Howl's settings from the environment; a bad value names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // An empty variable means unset (as in `DATABASE_URL= npm start`).
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  if (e.HOWL_NATS_URL && !e.DATABASE_URL)
    throw new Error(
      'HOWL_NATS_URL: several nodes need one PostgreSQL (set DATABASE_URL); the embedded database is one process',
    );
  if (Boolean(e.HOWL_COT_TLS_CERT) !== Boolean(e.HOWL_COT_TLS_KEY))
    throw new Error('HOWL_COT_TLS_CERT and HOWL_COT_TLS_KEY: set both, or neither');
  if (Boolean(e.HOWL_APRS_IS) !== Boolean(e.HOWL_APRS_CALLSIGN))
    throw new Error('HOWL_APRS_IS and HOWL_APRS_CALLSIGN: set both, or neither');
  return {
    port: e.PORT,
    host: e.HOST,
    httpsPort: e.HOWL_HTTPS_PORT,
    tlsCert: e.HOWL_TLS_CERT,
    tlsKey: e.HOWL_TLS_KEY,
    publicUrl: e.HOWL_PUBLIC_URL?.replace(/\/+$/, ''),
    tiles: e.HOWL_TILES,
    teamName: e.HOWL_TEAM,
    osmandPort: e.HOWL_OSMAND_PORT,
    cotPort: e.HOWL_COT_PORT,
    // Empty or `off` turns it off; unset, 8089 (a random port too when the plain one is random, as in tests).
    cotTlsPort:
      env.HOWL_COT_TLS_PORT === '' || e.HOWL_COT_TLS_PORT === 'off'
        ? null
        : (e.HOWL_COT_TLS_PORT ?? (e.HOWL_COT_PORT === 0 ? 0 : 8089)),
    cotTlsCert: e.HOWL_COT_TLS_CERT,
    cotTlsKey: e.HOWL_COT_TLS_KEY,
    cotTlsCa: e.HOWL_COT_TLS_CA,
    mqttUrl: e.HOWL_MQTT_URL,
    mqttTopic: e.HOWL_MQTT_TOPIC,
    aprs:
      e.HOWL_APRS_IS && e.HOWL_APRS_CALLSIGN
        ? { server: e.HOWL_APRS_IS, callsign: e.HOWL_APRS_CALLSIGN }
        : undefined,
    meshtasticUrl: e.HOWL_MESHTASTIC_URL,
    meshtasticRoot: e.HOWL_MESHTASTIC_ROOT,
    meshtasticSendS: e.HOWL_MESHTASTIC_SEND_S,
    inreachPollS: e.HOWL_INREACH_POLL_S,
    dataDir: resolve(cwd, e.HOWL_DATA_DIR ?? 'howl-data'),
    databaseUrl: e.DATABASE_URL,
    pushAllowedOrigins: e.HOWL_PUSH_ALLOWED_ORIGINS ?? [],
    pushSubject: e.HOWL_PUSH_SUBJECT,
    natsUrl: e.HOWL_NATS_URL,
    limits: {
      devicePerS: e.HOWL_LIMIT_DEVICE_PER_S,
      addressPerS: e.HOWL_LIMIT_ADDRESS_PER_S,
      tokenPerS: e.HOWL_LIMIT_TOKEN_PER_S,
    },
  };
}

/** The machine's first non-internal IPv4 address, which phones on the LAN can reach. */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/**
 * Where phones and browsers reach this server: HOWL_PUBLIC_URL; else the address it listens on when that is
 * one address (HOST=127.0.0.1 prints 127.0.0.1, never an address nothing listens on); else, listening on
 * every interface, the LAN address.
 */
export function publicUrls(
  config: Config,
  lan: string,
  ports: { http: number; https: number; osmand: number },
): PublicUrls {
  const listening = config.host.includes(':') ? `[${config.host}]` : config.host;
  const address = ['0.0.0.0', '::', ''].includes(config.host) ? lan : listening;
  const base = config.publicUrl ? new URL(config.publicUrl) : new URL(`http://${address}:${ports.http}`);
  const host = base.hostname; // IPv6 comes bracketed
  const publicUrl = config.publicUrl ?? `http://${host}:${ports.http}`;
  const httpsUrl = base.protocol === 'https:' ? publicUrl : `https://${host}:${ports.https}`;
  return { publicUrl, httpsUrl, osmandUrl: `http://${host}:${ports.osmand}` };
}

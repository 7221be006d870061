import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { zipStore } from './zip.ts';

/**
 * An ATAK data package that adds Howl as a TAK server connection: a zip with `MANIFEST/manifest.xml`
 * (MissionPackageManifest version 2) and a `.pref` file whose `cot_streams` preference holds
 * `connectString0 = HOST:PORT:tcp`, or `HOST:PORT:ssl` with a truststore. Same layout as the connection
 * packages TAK servers hand out (e.g. FreeTAKServer's `certificate_generation.py`): ATAK files the `.p12`
 * under its `cert/` folder, where `caLocation` points. No client certificate: the uid (or a leader's
 * approval) binds the client.
 */
export interface TakPackageOptions {
  host: string;
  port: number;
  /** Shown as the connection's description in ATAK. */
  description?: string;
  /** Connect over TLS, trusting the server certificate held in this PKCS#12 truststore. */
  tls?: { truststore: Buffer; password: string };
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  format: true,
  suppressBooleanAttributes: false,
  processEntities: true,
});

const DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n";
const PREF_PATH = 'howl/howl.pref';
const TRUSTSTORE_NAME = 'howl-truststore.p12';
const TRUSTSTORE_PATH = `howl/${TRUSTSTORE_NAME}`;
/** Where ATAK keeps an imported package's certificates, relative to its data folder. */
const CA_LOCATION = `cert/${TRUSTSTORE_NAME}`;

/** A stable package uid per server address, so importing it again replaces the connection rather than adding one. */
function packageUid(host: string, port: number): string {
  const h = createHash('sha256').update(`howl-tak:${host}:${port}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const entry = (key: string, cls: string, value: string | number | boolean) => ({
  '@key': key,
  '@class': `class java.lang.${cls}`,
  '#text': String(value),
});

/** The connection preference file ATAK imports. */
export function takPreferences(o: TakPackageOptions): string {
  const trust = o.tls
    ? [entry('caLocation', 'String', CA_LOCATION), entry('caPassword', 'String', o.tls.password)]
    : [];
  return (
    DECLARATION +
    builder.build({
      preferences: {
        preference: [
          {
            '@version': '1',
            '@name': 'cot_streams',
            entry: [
              entry('count', 'Integer', 1),
              entry('description0', 'String', o.description ?? 'Howl'),
              entry('enabled0', 'Boolean', true),
              entry('connectString0', 'String', `${o.host}:${o.port}:${o.tls ? 'ssl' : 'tcp'}`),
              ...(o.tls
                ? [
                    entry('caLocation0', 'String', CA_LOCATION),
                    entry('caPassword0', 'String', o.tls.password),
                    entry('useAuth0', 'Boolean', false),
                  ]
                : []),
            ],
          },
          {
            '@version': '1',
            '@name': 'com.atakmap.app_preferences',
            entry: [entry('displayServerConnectionWidget', 'Boolean', true), ...trust],
          },
        ],
      },
    })
  );
}

/** The package manifest: the preferences (and truststore), deleted from the device once imported. */
export function takManifest(o: TakPackageOptions): string {
  return builder.build({
    MissionPackageManifest: {
      '@version': '2',
      Configuration: {
        Parameter: [
          { '@name': 'uid', '@value': packageUid(o.host, o.port) },
          { '@name': 'name', '@value': o.description ?? 'Howl' },
          { '@name': 'onReceiveDelete', '@value': 'true' },
        ],
      },
      Contents: {
        Content: [
          { '@ignore': 'false', '@zipEntry': PREF_PATH },
          ...(o.tls ? [{ '@ignore': 'false', '@zipEntry': TRUSTSTORE_PATH }] : []),
        ],
      },
    },
  }) as string;
}

/** The data package to import in ATAK (or iTAK / WinTAK) to connect to this Howl server. */
export function takDataPackage(o: TakPackageOptions, modified = new Date()): Buffer {
  return zipStore(
    [
      { name: 'MANIFEST/manifest.xml', data: takManifest(o) },
      { name: PREF_PATH, data: takPreferences(o) },
      ...(o.tls ? [{ name: TRUSTSTORE_PATH, data: o.tls.truststore }] : []),
    ],
    modified,
  );
}

import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { zipStore } from './zip.ts';

/**
 * An ATAK data package that adds Howl as a TAK server connection: a zip with `MANIFEST/manifest.xml`
 * (MissionPackageManifest version 2) and a `.pref` file whose `cot_streams` preference holds
 * `connectString0 = HOST:PORT:tcp`. Same layout as the connection packages TAK servers hand out
 * (e.g. FreeTAKServer's `certificate_generation.py`), without certificates: this stream is plain TCP.
 */
export interface TakPackageOptions {
  host: string;
  port: number;
  /** Shown as the connection's description in ATAK. */
  description?: string;
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
              entry('connectString0', 'String', `${o.host}:${o.port}:tcp`),
            ],
          },
          {
            '@version': '1',
            '@name': 'com.atakmap.app_preferences',
            entry: [entry('displayServerConnectionWidget', 'Boolean', true)],
          },
        ],
      },
    })
  );
}

/** The package manifest: one content entry, deleted from the device once imported. */
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
      Contents: { Content: { '@ignore': 'false', '@zipEntry': PREF_PATH } },
    },
  }) as string;
}

/** The data package to import in ATAK (or iTAK / WinTAK) to connect to this Howl server. */
export function takDataPackage(o: TakPackageOptions, modified = new Date()): Buffer {
  return zipStore(
    [
      { name: 'MANIFEST/manifest.xml', data: takManifest(o) },
      { name: PREF_PATH, data: takPreferences(o) },
    ],
    modified,
  );
}

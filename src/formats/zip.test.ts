import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { takDataPackage, takManifest, takPreferences } from './tak-data-package.ts';
import { crc32, zipStore } from './zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'howl-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function written(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** What Python's zipfile reads from an archive: name → text, after checking every CRC. */
function pythonRead(path: string): Record<string, string> {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None',
    'print(json.dumps({i.filename: z.read(i).decode("utf-8") for i in z.infolist()}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
}

describe('zipStore', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('writes an archive unzip lists and tests, with UTF-8 names', () => {
    const path = written(
      'a.zip',
      zipStore([
        { name: 'MANIFEST/manifest.xml', data: '<m/>' },
        { name: 'dir/grüße.txt', data: 'héllo\n' },
        { name: 'empty', data: new Uint8Array() },
      ]),
    );
    const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' });
    expect(listing).toContain('MANIFEST/manifest.xml');
    // unzip prints non-ASCII names in the terminal's locale; Python checks the UTF-8 name below.
    expect(listing).toMatch(/dir\/gr.*e\.txt/);
    expect(listing).toMatch(/3 files/);
    expect(execFileSync('unzip', ['-t', path], { encoding: 'utf8' })).toMatch(/No errors detected/);
    expect(pythonRead(path)).toEqual({
      'MANIFEST/manifest.xml': '<m/>',
      'dir/grüße.txt': 'héllo\n',
      empty: '',
    });
  });
});

describe('takDataPackage', () => {
  const o = { host: '192.168.1.20', port: 8087 };

  it('is a data package ATAK imports: a manifest and the connection preference', () => {
    const files = pythonRead(written('howl.zip', takDataPackage(o)));
    expect(Object.keys(files)).toEqual(['MANIFEST/manifest.xml', 'howl/howl.pref']);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    const manifest = parser.parse(files['MANIFEST/manifest.xml'] as string).MissionPackageManifest;
    expect(manifest.version).toBe('2');
    expect(manifest.Contents.Content).toEqual({ ignore: 'false', zipEntry: 'howl/howl.pref' });
    expect(manifest.Configuration.Parameter).toContainEqual({ name: 'onReceiveDelete', value: 'true' });
    const prefs = parser.parse(files['howl/howl.pref'] as string).preferences.preference;
    const streams = prefs.find((p: { name: string }) => p.name === 'cot_streams');
    const entries = Object.fromEntries(streams.entry.map((e: Record<string, string>) => [e.key, e['#text']]));
    expect(entries).toEqual({
      count: 1,
      description0: 'Howl',
      enabled0: true,
      connectString0: '192.168.1.20:8087:tcp',
    });
  });

  it('keeps its uid for one address, so importing again replaces the connection', () => {
    const uid = (m: string) => m.match(/name="uid" value="([^"]+)"/)?.[1];
    expect(uid(takManifest(o))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uid(takManifest(o))).toBe(uid(takManifest({ ...o })));
    expect(uid(takManifest(o))).not.toBe(uid(takManifest({ ...o, port: 8088 })));
  });

  it('escapes the host and description', () => {
    const prefs = takPreferences({ host: 'a<b>&c', port: 1, description: 'Team "A" & co' });
    expect(XMLValidator.validate(prefs)).toBe(true);
    expect(prefs).toContain('a&lt;b&gt;&amp;c:1:tcp');
  });
});

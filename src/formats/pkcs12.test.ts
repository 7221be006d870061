import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRun, hasCommand } from '../../test/support/requirements.ts';
import { pemCertificates, pkcs12Truststore } from './pkcs12.ts';
import { takManifest, takPreferences } from './tak-data-package.ts';

const dir = mkdtempSync(join(tmpdir(), 'howl-p12-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Two independent readers of the truststore; CI installs both (.ci/run), so there they fail, not skip.
const withOpenssl = canRun(
  'the openssl truststore test',
  hasCommand('openssl') ? undefined : 'openssl is not on the PATH',
  'apt-get install openssl',
);
const withKeytool = canRun(
  'the keytool truststore test',
  hasCommand('keytool') ? undefined : 'keytool is not on the PATH',
  'apt-get install default-jre-headless',
);

describe('pkcs12Truststore', () => {
  let cert: string;
  let path: string;
  beforeAll(async () => {
    cert = (await selfsigned.generate([{ name: 'commonName', value: 'howl.test' }], { keyType: 'ec' })).cert;
    path = join(dir, 'trust.p12');
    writeFileSync(path, pkcs12Truststore({ certsPem: cert, password: 'atakatak' }));
  });

  it.skipIf(!withOpenssl)(
    'is read by openssl with the password (its MAC checks out), and refused with another',
    () => {
      const pem = execFileSync('openssl', ['pkcs12', '-in', path, '-passin', 'pass:atakatak', '-nokeys'], {
        encoding: 'utf8',
      });
      expect(new X509Certificate(pem).raw.equals(new X509Certificate(cert).raw)).toBe(true);
      expect(() =>
        execFileSync('openssl', ['pkcs12', '-in', path, '-passin', 'pass:wrong', '-nokeys'], {
          stdio: 'pipe',
        }),
      ).toThrow();
    },
  );

  it.skipIf(!withKeytool)('is a Java truststore: keytool lists a trusted certificate entry', () => {
    const out = execFileSync(
      'keytool',
      ['-list', '-keystore', path, '-storetype', 'pkcs12', '-storepass', 'atakatak'],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/1 entry/);
    expect(out).toMatch(/howl, .*trustedCertEntry/);
  });

  it('takes every certificate of a chain and refuses text without one', () => {
    expect(pemCertificates(`${cert}\n${cert}`)).toHaveLength(2);
    expect(() => pemCertificates('nothing here')).toThrow(/no certificate/);
  });
});

describe('the TLS data package', () => {
  const o = { host: '10.0.0.5', port: 8089, tls: { truststore: Buffer.from('p12'), password: 'atakatak' } };

  it('connects with ssl and points ATAK at the truststore it carries', () => {
    const prefs = takPreferences(o);
    expect(prefs).toContain('>10.0.0.5:8089:ssl<');
    expect(prefs).toMatch(/key="caLocation0"[^>]*>cert\/howl-truststore\.p12</);
    expect(prefs).toMatch(/key="caPassword0"[^>]*>atakatak</);
    expect(prefs).toMatch(/key="caLocation"[^>]*>cert\/howl-truststore\.p12</);
    expect(takManifest(o)).toContain('zipEntry="howl/howl-truststore.p12"');
    expect(takPreferences({ host: 'h', port: 1 })).not.toContain('caLocation');
  });
});

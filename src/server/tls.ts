import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TlsFiles {
  cert: string;
  key: string;
  /** True when Howl made the certificate itself (phones will warn once). */
  selfSigned: boolean;
}

/**
 * The HTTPS certificate: the configured files, or a self-signed one generated once into
 * the data folder (kept, so phones that accepted it once keep accepting it).
 */
export async function loadOrCreateTls(opts: {
  certFile?: string;
  keyFile?: string;
  dataDir: string;
  hosts: readonly string[];
}): Promise<TlsFiles> {
  if (opts.certFile && opts.keyFile) {
    return {
      cert: await readFile(opts.certFile, 'utf8'),
      key: await readFile(opts.keyFile, 'utf8'),
      selfSigned: false,
    };
  }
  const certPath = join(opts.dataDir, 'tls-cert.pem');
  const keyPath = join(opts.dataDir, 'tls-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), selfSigned: true };
  }
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 10);
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    ...opts.hosts.map((h) =>
      /^[\d.]+$|:/.test(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
    ),
  ];
  const { default: selfsigned } = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: opts.hosts[0] ?? 'howl.local' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  // With DATABASE_URL nothing else creates the data folder, and it may not exist yet.
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, selfSigned: true };
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CotTlsOptions } from '../gateways/cot/server.ts';
import { loadOrCreateTls } from '../server/tls.ts';
import type { Config } from './config.ts';

/**
 * The CoT TLS listener's settings, or undefined when it is off: its own certificate
 * (HOWL_COT_TLS_CERT/KEY), else the HTTPS one (configured, or self-signed once into the data folder), so
 * TLS works out of the box; HOWL_COT_TLS_CA asks clients for certificates.
 */
export async function cotTlsOptions(config: Config, lan: string): Promise<CotTlsOptions | undefined> {
  if (config.cotTlsPort === null) return undefined;
  const files = await loadOrCreateTls({
    certFile: config.cotTlsCert ?? config.tlsCert,
    keyFile: config.cotTlsCert ? config.cotTlsKey : config.tlsKey,
    dataDir: resolve(config.dataDir),
    // The names HTTPS gives it, so whichever starts first makes the same certificate.
    hosts: [lan, ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])],
  });
  return {
    port: config.cotTlsPort,
    cert: files.cert,
    key: files.key,
    ca: config.cotTlsCa ? await readFile(config.cotTlsCa, 'utf8') : undefined,
  };
}

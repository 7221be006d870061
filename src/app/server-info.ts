import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const SERVER_FILE = 'server.json';
export const ADMIN_SECRET_FILE = 'admin.secret';

/** What a running server tells the CLI through the data folder. */
export const ServerInfo = z.object({
  pid: z.number().int(),
  url: z.string().describe('loopback URL of the HTTP API'),
  publicUrl: z.string(),
  httpsUrl: z.string().nullable(),
  osmandPort: z.number().int(),
  startedAt: z.string(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

export function writeServerInfo(dataDir: string, info: ServerInfo, adminSecret: string): void {
  const secretPath = join(dataDir, ADMIN_SECRET_FILE);
  writeFileSync(secretPath, adminSecret, { mode: 0o600 });
  chmodSync(secretPath, 0o600); // mode only applies when the file is created
  writeFileSync(join(dataDir, SERVER_FILE), JSON.stringify(info, null, 2));
}

export function readServerInfo(dataDir: string): { info: ServerInfo; adminSecret: string } | undefined {
  try {
    const info = ServerInfo.parse(JSON.parse(readFileSync(join(dataDir, SERVER_FILE), 'utf8')));
    const adminSecret = readFileSync(join(dataDir, ADMIN_SECRET_FILE), 'utf8').trim();
    return { info, adminSecret };
  } catch {
    return undefined;
  }
}

export function removeServerInfo(dataDir: string): void {
  rmSync(join(dataDir, SERVER_FILE), { force: true });
  rmSync(join(dataDir, ADMIN_SECRET_FILE), { force: true });
}

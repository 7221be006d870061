import { type Config, lanAddress, publicUrls } from '../app/config.ts';
import { readServerInfo } from '../app/server-info.ts';
import type { ErrorBody } from '../contract/common.ts';
import { createServices, type Services } from '../services/services.ts';
import { acquireDataLock, lockHolder } from '../store/data-lock.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

/** The API of a running server, reached with the admin secret from its data folder. */
export interface AdminApi {
  post<T>(path: string, body: unknown): Promise<T>;
  /** A POST answered with a file, its bytes as they arrive (`onBytes` for a progress bar). */
  download(
    path: string,
    body: unknown,
    onBytes?: (received: number, total: number | null) => void,
  ): Promise<Buffer>;
}

/**
 * Runs a CLI action where the data lives: through the running server's API when one holds
 * the embedded database, otherwise on the database itself (PostgreSQL, or the embedded one
 * under its lock).
 */
export async function withTarget<T>(
  config: Config,
  action: { viaServer(api: AdminApi): Promise<T>; direct(s: Services): Promise<T> },
): Promise<T> {
  const api = await runningServer(config);
  return api ? action.viaServer(api) : withDatabase(config, action.direct);
}

/** The API of the server that holds the embedded database, if one runs. */
export async function runningServer(config: Config): Promise<AdminApi | undefined> {
  if (config.databaseUrl) return undefined;
  const pid = lockHolder(config.dataDir);
  return pid === undefined ? undefined : serverApi(config.dataDir, pid);
}

/** Opens the database directly (taking the data folder's lock for the embedded one), migrated. */
export async function withDatabase<T>(config: Config, fn: (s: Services) => Promise<T>): Promise<T> {
  const release = config.databaseUrl ? undefined : acquireDataLock(config.dataDir);
  try {
    const database = await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
    );
    try {
      await migrateToLatest(database.db);
      const urls = publicUrls(config, lanAddress(), {
        http: config.port,
        https: config.httpsPort,
        osmand: config.osmandPort,
      });
      const services = createServices(database.db, () => urls);
      try {
        return await fn(services);
      } finally {
        await services.batcher.close();
      }
    } finally {
      await database.close();
    }
  } finally {
    release?.();
  }
}

async function serverApi(dataDir: string, pid: number): Promise<AdminApi> {
  const found = readServerInfo(dataDir);
  if (!found)
    throw new Error(
      `a Howl server (pid ${pid}) holds ${dataDir} but has not written server.json yet; try again`,
    );
  const { info, adminSecret } = found;
  try {
    const health = await fetch(`${info.url}/api/health`, { signal: AbortSignal.timeout(5000) });
    if (!health.ok) throw new Error(`status ${health.status}`);
  } catch (e) {
    throw new Error(
      `a Howl server (pid ${pid}) holds ${dataDir} but does not answer at ${info.url}: ${(e as Error).message}`,
    );
  }
  return {
    async post<T>(path: string, body: unknown): Promise<T> {
      const res = await fetch(`${info.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as T | ErrorBody;
      if (!res.ok) throw new Error((json as ErrorBody).error?.message ?? `status ${res.status}`);
      return json as T;
    },
    async download(path, body, onBytes) {
      const res = await fetch(`${info.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok || !res.body) {
        const json = (await res.json().catch(() => ({}))) as ErrorBody;
        throw new Error(json.error?.message ?? `status ${res.status}`);
      }
      const total = Number(res.headers.get('content-length')) || null;
      const chunks: Buffer[] = [];
      let received = 0;
      for await (const chunk of res.body) {
        chunks.push(Buffer.from(chunk));
        received += chunk.length;
        onBytes?.(received, total);
      }
      return Buffer.concat(chunks);
    },
  };
}

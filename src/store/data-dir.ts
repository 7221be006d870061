import { chmodSync, mkdirSync } from 'node:fs';

/**
 * Creates the data folder (and its parents) if needed and makes it owner-only (0700): it holds the embedded
 * database, whose files and WAL carry password hashes and messages, the TLS key and the admin secret.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

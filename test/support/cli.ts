import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/server/paths.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'howl.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/howl.js …` as its own process, as a user would: `env` over this process's, with no
 * DATABASE_URL unless one is given (the commands then use the embedded database, or none).
 */
export function runHowl(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: PACKAGE_ROOT, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

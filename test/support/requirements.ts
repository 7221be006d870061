import { execFileSync } from 'node:child_process';

/**
 * Whether a group of tests can run, given what it needs from the machine (a PostgreSQL server, a broker,
 * Chromium, a command): `missing` says what is not there, or is undefined. A group that cannot run skips
 * with a note, unless `HOWL_TEST_REQUIRE_ALL` is set (CI sets it) or `forced` says the tester asked for it
 * by name: then this throws, and the test file fails instead of quietly running less.
 */
export function canRun(tests: string, missing: string | undefined, hint: string, forced = false): boolean {
  if (missing === undefined) return true;
  if (process.env.HOWL_TEST_REQUIRE_ALL || forced) {
    const why = forced ? 'they were asked for by name' : 'HOWL_TEST_REQUIRE_ALL is set';
    throw new Error(`${tests}: ${missing}; skipping is not allowed (${why}); ${hint}`);
  }
  console.warn(`[howl tests] ${tests} skipped: ${missing}; ${hint}`);
  return false;
}

/** Whether a command is on the PATH (it ran, whatever its exit status). */
export function hasCommand(command: string, args: readonly string[] = ['-help']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
}

import type { Config } from '../app/config.ts';
import { startHowl } from '../app/start.ts';
import { ensureWebBuilt } from './web-build.ts';

/** `howl serve`: build the web app if needed, start, print where to go, stop cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  const t0 = Date.now();
  await ensureWebBuilt((line) => console.log(line));
  const howl = await startHowl(config, { logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  const host = new URL(howl.urls.osmandUrl).hostname;
  const where = howl.database === 'postgres' ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  console.log(
    [
      `Howl is running on ${where} (started in ${((Date.now() - t0) / 1000).toFixed(1)} s), listening on ${config.host}.`,
      `  Console:         ${howl.urls.publicUrl}`,
      `  Field page:      ${howl.urls.httpsUrl}/field  (HTTPS: phones give positions only to secure pages)`,
      `  Traccar Client:  ${howl.urls.osmandUrl}  (OsmAnd protocol)`,
      `  TAK clients:     ${host}:${howl.ports.cot}  (Cursor-on-Target, TCP)`,
      ...(howl.ports.cotTls === null
        ? []
        : [`  TAK over TLS:    ${host}:${howl.ports.cotTls}  (data package in the console: TAK)`]),
    ].join('\n'),
  );
  if (howl.firstLogin) {
    console.log(
      `\nFirst start: created the team "${howl.firstLogin.team}" with its leader ${howl.firstLogin.callsign}.\n` +
        `Open this single-use link to sign in and set a password:\n  ${howl.firstLogin.url}\n` +
        'Lost it? `npx howl login-link` prints a new one.',
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Howl…`);
    await howl.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

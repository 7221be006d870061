import type { Config } from '../app/config.ts';
import { startHowl } from '../app/start.ts';
import { stopOnSignals } from '../app/stop-on-signals.ts';
import { WEB_DIST, webAppBuilt } from '../server/paths.ts';

/** `howl serve`: start, print where to go, stop cleanly on a signal. The web app is built beforehand (`npm run build`). */
export async function serve(config: Config): Promise<void> {
  const howl = await startHowl(config, { logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  // From the process's start, module loading included: what a user waits for.
  const startedS = performance.now() / 1000;
  const host = new URL(howl.urls.osmandUrl).hostname;
  const where =
    howl.database === 'postgres'
      ? `PostgreSQL${howl.node ? ` as node ${howl.node} of a cluster (NATS)` : ''}`
      : `the embedded database in ${config.dataDir}`;
  console.log(
    [
      `Howl is running on ${where} (started in ${startedS.toFixed(1)} s), listening on ${config.host}.`,
      `  Console:         ${howl.urls.publicUrl}`,
      `  Field page:      ${howl.urls.httpsUrl}/field  (HTTPS: phones give positions only to secure pages)`,
      `  Traccar Client:  ${howl.urls.osmandUrl}  (OsmAnd protocol)`,
      `  TAK clients:     ${host}:${howl.ports.cot}  (Cursor-on-Target, TCP)`,
      ...(howl.ports.cotTls === null
        ? []
        : [`  TAK over TLS:    ${host}:${howl.ports.cotTls}  (data package in the console: TAK)`]),
    ].join('\n'),
  );
  if (!webAppBuilt()) {
    console.log(
      `\nThe web app is not built (no ${WEB_DIST}): the console and the field page are off; the API and the` +
        ' device gateways run. Build it with `npm run build` (needs the dev dependencies).',
    );
  }
  if (howl.firstLogin) {
    console.log(
      `\nFirst start: created the team "${howl.firstLogin.team}" with its leader ${howl.firstLogin.callsign}.\n` +
        `Open this single-use link to sign in and set a password:\n  ${howl.firstLogin.url}\n` +
        'Lost it? `npx howl login-link` prints a new one.',
    );
  }
  stopOnSignals(howl, (line) => console.log(line));
}

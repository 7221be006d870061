import type { RunningHowl } from './start.ts';

/** A stop that takes longer than this is cut short: whoever sent SIGTERM expects the process gone soon. */
const STOP_DEADLINE_MS = 9500;

/**
 * Stops Howl cleanly on SIGINT or SIGTERM (see `startHowl`'s close), then exits: 0 when everything closed,
 * 1 when something failed or the stop overran its deadline. A second signal is ignored while stopping.
 */
export function stopOnSignals(
  howl: Pick<RunningHowl, 'close'>,
  say: (line: string) => void = () => {},
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping Howl…`);
    const overrun = setTimeout(() => {
      say('Howl did not stop in time; exiting anyway.');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    howl.close().then(
      () => {
        clearTimeout(overrun);
        process.exit(0);
      },
      (err: unknown) => {
        say(`Howl stopped with an error: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * The services' clock in tests: it stands still at `startMs` until a test moves it (`clock.ms += 60_000`),
 * and goes back to the start before each test of a file that resets.
 */
export class FakeClock {
  ms: number;

  constructor(readonly startMs: number) {
    this.ms = startMs;
  }

  /** The time now, as the services read it. */
  readonly now = (): Date => new Date(this.ms);

  reset(): void {
    this.ms = this.startMs;
  }
}

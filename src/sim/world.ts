/** Something that lives in story time: moved once per simulated second, then given a chance to talk. */
export interface Actor {
  /** One simulated second (or less) passes. */
  step(dtS: number): void;
  /** After each tick of the real clock, once the model has caught up (send what is due). */
  afterTick(): void;
}

export interface WorldOptions {
  /** Story seconds per real second (1 = real time). */
  speed: number;
  /** Quiet stretches are skipped at once instead of fast-forwarded in view. */
  headless: boolean;
  tickMs?: number;
  /** The real clock, in ms. */
  now?: () => number;
}

const STEP_S = 1;

/**
 * Story time for the simulator: runs at `speed` times real time in fixed one-second steps (so a seeded run
 * moves everyone the same way whatever the machine), and lets the script wait in story time or real time.
 */
export class World {
  /** Story seconds played so far. */
  elapsedS = 0;
  readonly speed: number;
  readonly headless: boolean;
  private readonly actors: Actor[] = [];
  private readonly timers: Array<{ atS: number; fn: () => void }> = [];
  private readonly waiters = new Set<() => void>();
  private readonly realNow: () => number;
  private readonly tickMs: number;
  private anchorRealMs = 0;
  private anchorS = 0;
  private rate: number;
  private interval: NodeJS.Timeout | undefined;

  constructor(opts: WorldOptions) {
    this.speed = opts.speed;
    this.rate = opts.speed;
    this.headless = opts.headless;
    this.tickMs = opts.tickMs ?? 100;
    this.realNow = opts.now ?? Date.now;
  }

  add(actor: Actor): void {
    this.actors.push(actor);
  }

  start(): void {
    this.anchorRealMs = this.realNow();
    this.anchorS = this.elapsedS;
    this.interval = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    clearInterval(this.interval);
    this.interval = undefined;
    for (const w of [...this.waiters]) w();
  }

  /** Runs `fn` once `delayS` story seconds have passed. */
  after(delayS: number, fn: () => void): void {
    this.timers.push({ atS: this.elapsedS + delayS, fn });
  }

  /** Waits `seconds` of story time. */
  async sleep(seconds: number): Promise<void> {
    const at = this.elapsedS + seconds;
    await this.until(() => this.elapsedS >= at, seconds + 1);
  }

  /** Waits until `done()` holds after a tick (true), or `maxS` story seconds have passed (false). */
  until(done: () => boolean, maxS: number): Promise<boolean> {
    const deadline = this.elapsedS + maxS;
    return this.waitFor(done, () => this.elapsedS >= deadline);
  }

  /** Waits until `done()` holds (true) or `timeoutMs` of real time has passed (false): for the server's own clock. */
  untilReal(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = this.realNow() + timeoutMs;
    return this.waitFor(done, () => this.realNow() >= deadline);
  }

  /**
   * Runs `fn` with story time at real time (or slower, if the story runs slower): for waits on the
   * server's own clock, such as re-sends, so that the story clock does not race ahead meanwhile.
   */
  async inRealTime<T>(fn: () => Promise<T>): Promise<T> {
    const rate = this.rate;
    this.reanchor(Math.min(rate, 1));
    try {
      return await fn();
    } finally {
      this.reanchor(rate);
    }
  }

  /**
   * A quiet stretch of `seconds` (the walk home, the night): skipped at once when headless,
   * otherwise played fast so that it lasts `realS` seconds on screen.
   */
  async fastForward(seconds: number, realS: number): Promise<void> {
    const at = this.elapsedS + seconds;
    if (this.headless || realS <= 0) {
      this.anchorS += seconds;
      this.catchUp();
      this.notify();
      return;
    }
    this.reanchor(Math.max(this.speed, seconds / realS));
    await this.until(() => this.elapsedS >= at, seconds + 1);
    this.reanchor(this.speed);
  }

  /** From now on, story time runs at `rate` from where it stands. */
  private reanchor(rate: number): void {
    this.anchorS = this.targetS();
    this.anchorRealMs = this.realNow();
    this.rate = rate;
  }

  private targetS(): number {
    return this.anchorS + ((this.realNow() - this.anchorRealMs) / 1000) * this.rate;
  }

  private catchUp(): void {
    const target = this.targetS();
    while (this.elapsedS + STEP_S <= target + 1e-9) {
      for (const a of this.actors) a.step(STEP_S);
      this.elapsedS += STEP_S;
      this.fireTimers();
    }
  }

  private tick(): void {
    this.catchUp();
    for (const a of this.actors) a.afterTick();
    this.notify();
  }

  private fireTimers(): void {
    const due = this.timers.filter((t) => t.atS <= this.elapsedS);
    if (due.length === 0) return;
    for (const t of due) this.timers.splice(this.timers.indexOf(t), 1);
    for (const t of due.sort((a, b) => a.atS - b.atS)) t.fn();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor(done: () => boolean, expired: () => boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        const ok = done();
        if (!ok && !expired() && this.interval) return;
        this.waiters.delete(check);
        resolve(ok);
      };
      this.waiters.add(check);
      check();
    });
  }
}

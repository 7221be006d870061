import type { World } from './world.ts';

export interface StepResult {
  name: string;
  ok: boolean;
  detail?: string;
  /** Story seconds when it was checked. */
  atS: number;
}

/** Story seconds as the progress lines show them: `02:15`, or `10:42:07` past the first hour. */
export function storyClock(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const mmss = `${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** The story's progress lines, and the record of every expected effect: seen or missing. */
export class StoryLog {
  readonly steps: StepResult[] = [];

  constructor(
    private readonly world: World,
    private readonly write: (line: string) => void,
  ) {}

  say(text: string): void {
    this.write(`[${storyClock(this.world.elapsedS)}] ${text}`);
  }

  /** Records an expected effect; a missing one fails the run. */
  check(name: string, ok: boolean, detail?: string): boolean {
    this.steps.push({ name, ok, detail, atS: this.world.elapsedS });
    this.write(`        ${ok ? '✓' : '✗ MISSING:'} ${name}${detail ? ` (${detail})` : ''}`);
    return ok;
  }

  get ok(): boolean {
    return this.steps.every((s) => s.ok);
  }
}

import type { CotLogger } from '../../src/gateways/cot/logger.ts';

export interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

/** A gateway logger that keeps every line, for tests that check what was logged. */
export function recordingLogger(): { logger: CotLogger; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const record =
    (level: string) =>
    (obj: object, msg: string): void => {
      logs.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  return {
    logs,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

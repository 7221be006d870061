import type { Position } from '../../../src/contract/positions.ts';

/** How an SOS is named: real and exercise SOS never read alike. */
export function sosWord(p: Position): string {
  return p.mode === 'exercise' ? 'EXERCISE SOS' : 'SOS';
}

import type { Light } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';

export { formatDuration } from '../../../src/domain/duration.ts';
export { formatDistance } from '../../../src/domain/geo.ts';
export { clockTime } from '../shared/time.ts';

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
export const metres = (m: number) => `${m.toFixed(1)} m`;

export const LIGHT_LABEL: Record<Light, string> = { day: 'Day', dusk: 'Dusk', night: 'Night' };

/** Colours of the trails on the map: the runner's, then one per tracker. */
export const RUNNER_COLOUR = '#f7b32b';
export const TRACKER_COLOURS = ['#4fd1ff', '#ff7ad9', '#7dff8a', '#b59cff', '#ff9f5a', '#e8eef4'];
export const trackerColour = (index: number) => TRACKER_COLOURS[index % TRACKER_COLOURS.length] as string;

/** A drill participant in a picker: the callsign, marked (K9) for a dog. */
export const participantLabel = (m: Pick<Member, 'kind' | 'callsign'>) =>
  m.kind === 'animal' ? `${m.callsign} (K9)` : m.callsign;

import { describe, expect, it } from 'vitest';
import { distanceM } from '../../domain/geo.ts';
import { areaRegion, isAreaRegion, OwnTracksOutSetWaypoints, setWaypointsCmd } from './area.ts';

const exercise = {
  kind: 'exercise',
  name: 'Night nav',
  createdAt: '2026-11-25T16:00:00.000Z',
  area: [
    { lat: 51.0, lon: -1.0 },
    { lat: 51.02, lon: -1.0 },
    { lat: 51.01, lon: -0.97 },
  ],
};

describe('the exercise area as an OwnTracks region', () => {
  it('is a circle holding every corner, named as exercise, created when the exercise was', () => {
    const region = areaRegion(exercise);
    expect(region).toMatchObject({ _type: 'waypoint', desc: 'EXERCISE AREA — Night nav', tst: 1795622400 });
    for (const corner of exercise.area)
      expect(distanceM(region ?? corner, corner)).toBeLessThanOrEqual(region?.rad ?? 0);
  });

  it('does not exist for an incident or without an area', () => {
    expect(areaRegion({ ...exercise, kind: 'incident' })).toBeUndefined();
    expect(areaRegion({ ...exercise, area: null })).toBeUndefined();
  });

  it('is recognised by its name only', () => {
    expect(isAreaRegion(exercise, ' EXERCISE AREA — Night nav ')).toBe(true);
    expect(isAreaRegion(exercise, 'Home')).toBe(false);
    expect(isAreaRegion(undefined, 'EXERCISE AREA — Night nav')).toBe(false);
  });

  it('goes out as the booklet’s setWaypoints command', () => {
    const cmd = setWaypointsCmd(areaRegion(exercise) ?? exit());
    expect(OwnTracksOutSetWaypoints.parse(cmd)).toEqual(cmd);
    expect(cmd).toMatchObject({ _type: 'cmd', action: 'setWaypoints', waypoints: { _type: 'waypoints' } });
  });
});

function exit(): never {
  throw new Error('no region');
}

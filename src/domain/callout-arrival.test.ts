import { describe, expect, it } from 'vitest';
import { arrivedMembers, asksToRespond } from './callout-arrival.ts';
import { destination } from './geo.ts';

const SCENE = { lat: 47.37, lon: 8.54 };
const fix = (memberId: string, bearing: number, distM: number) => ({
  memberId,
  ...destination(SCENE, bearing, distM),
});
const none = new Set<string>();

describe('arrivedMembers', () => {
  it('counts members within the separation distance of the incident, not those still at home', () => {
    const fresh = [fix('alfa', 0, 120), fix('bravo', 90, 2500), fix('charlie', 180, 5000)];
    const arrived = arrivedMembers({
      before: none,
      answeredArrived: none,
      responding: none,
      fresh,
      scene: SCENE,
      limitM: 300,
    });
    expect([...arrived]).toEqual(['alfa']);
  });

  it('counts a member who joined an arrived one on scene, and one who answered "arrived"', () => {
    const fresh = [fix('alfa', 0, 250), fix('bravo', 0, 500), fix('charlie', 0, 750), fix('delta', 90, 4000)];
    const arrived = arrivedMembers({
      before: none,
      answeredArrived: new Set(['echo']),
      responding: none,
      fresh,
      scene: SCENE,
      limitM: 300,
    });
    expect([...arrived].sort()).toEqual(['alfa', 'bravo', 'charlie', 'echo']);
  });

  it('keeps those who arrived before, wherever they are now', () => {
    const arrived = arrivedMembers({
      before: new Set(['alfa']),
      answeredArrived: none,
      responding: none,
      fresh: [fix('alfa', 0, 3000)],
      scene: SCENE,
      limitM: 300,
    });
    expect([...arrived]).toEqual(['alfa']);
  });

  it('without a position, starts the group where two responders meet', () => {
    const fresh = [fix('alfa', 0, 0), fix('bravo', 0, 100), fix('charlie', 90, 3000), fix('delta', 0, 50)];
    const arrived = arrivedMembers({
      before: none,
      answeredArrived: none,
      responding: new Set(['alfa', 'bravo', 'charlie']),
      fresh,
      scene: null,
      limitM: 300,
    });
    // DELTA did not answer, but is with them: joined on scene.
    expect([...arrived].sort()).toEqual(['alfa', 'bravo', 'delta']);
    const alone = arrivedMembers({
      before: none,
      answeredArrived: none,
      responding: new Set(['alfa']),
      fresh,
      scene: null,
      limitM: 300,
    });
    expect([...alone]).toEqual([]);
  });
});

describe('asksToRespond', () => {
  it('asks everyone but the member who raised the incident and those already on scene in the exercise', () => {
    const incident = { declaredBy: 'scott', onScene: new Set(['stiles', 'lydia']) };
    expect(asksToRespond('scott', incident)).toBe(false);
    expect(asksToRespond('stiles', incident)).toBe(false);
    expect(asksToRespond('derek', incident)).toBe(true);
    // A leader's callout on a quiet day: the leader who called it is not asked, everyone else is.
    expect(asksToRespond('derek', { declaredBy: 'derek', onScene: new Set() })).toBe(false);
    expect(asksToRespond('scott', { declaredBy: null, onScene: new Set() })).toBe(true);
  });
});

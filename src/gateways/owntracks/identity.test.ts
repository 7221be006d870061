import { describe, expect, it } from 'vitest';
import { appTopics, memberTopic, parseTopic, teamKey, teamSpace } from './identity.ts';

const A = '3f2a9c1e-4b7d-4e8a-9c0b-1d2e3f405162';
const B = '3f2a9c1e-4b7e-4e8a-9c0b-1d2e3f405162';

describe('teamKey', () => {
  it('is the first 12 hex digits of the team id: stable, and different for different teams', () => {
    expect(teamKey(A)).toBe('3f2a9c1e4b7d');
    expect(teamKey(A.toUpperCase())).toBe('3f2a9c1e4b7d');
    expect(teamKey(B)).not.toBe(teamKey(A));
  });

  it('gives an id that is not a UUID a stable key of the same shape', () => {
    expect(teamKey('team-one')).toMatch(/^[0-9a-f]{12}$/);
    expect(teamKey('team-one')).toBe(teamKey('team-one'));
    expect(teamKey('team-two')).not.toBe(teamKey('team-one'));
  });
});

describe('appTopics', () => {
  it('names the team’s base topic, what its apps publish to and what they subscribe to', () => {
    expect(teamSpace('owntracks', A)).toBe('owntracks/3f2a9c1e4b7d');
    expect(appTopics('owntracks', A)).toEqual({
      base: 'owntracks/3f2a9c1e4b7d',
      publish: 'owntracks/3f2a9c1e4b7d/%u/%d',
      subscribe: 'owntracks/3f2a9c1e4b7d/#',
    });
    expect(memberTopic(teamSpace('owntracks', A), 'LEAD')).toBe('owntracks/3f2a9c1e4b7d/howl/LEAD');
  });
});

describe('parseTopic', () => {
  it('reads a team’s space: ROOT/<team>/USER/DEVICE[/LEAF]', () => {
    expect(parseTopic('owntracks', 'owntracks/3f2a9c1e4b7d/jane/phone')).toEqual({
      team: '3f2a9c1e4b7d',
      user: 'jane',
      device: 'phone',
      leaf: undefined,
    });
    expect(parseTopic('ot/x', 'ot/x/3f2a9c1e4b7d/jane/phone/event')).toMatchObject({
      team: '3f2a9c1e4b7d',
      leaf: 'event',
    });
  });

  it('reads the shared layout of earlier versions as having no team', () => {
    expect(parseTopic('owntracks', 'owntracks/jane/phone')).toEqual({
      team: undefined,
      user: 'jane',
      device: 'phone',
      leaf: undefined,
    });
    expect(parseTopic('owntracks', 'owntracks/howl/LEAD/info')).toMatchObject({ user: 'howl', leaf: 'info' });
  });

  it('refuses topics outside the root or with other levels', () => {
    expect(parseTopic('owntracks', 'other/jane/phone')).toBeUndefined();
    expect(parseTopic('owntracks', 'owntracks/jane')).toBeUndefined();
    expect(parseTopic('owntracks', 'owntracks/3f2a9c1e4b7d/jane')).toBeUndefined();
    expect(parseTopic('owntracks', 'owntracks/3f2a9c1e4b7d/jane/phone/event/x')).toBeUndefined();
    expect(parseTopic('owntracks', 'owntracks/jane/phone/')).toBeUndefined();
  });
});

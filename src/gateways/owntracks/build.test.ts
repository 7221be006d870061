import { describe, expect, it } from 'vitest';
import type { Alert } from '../../contract/alerts.ts';
import type { Position } from '../../contract/positions.ts';
import { alertText, alertTransition, cardMessage, locationMessage, OwnTracksOut } from './build.ts';

const position: Position = {
  memberId: 'm1',
  time: '2026-11-25T16:00:00.000Z',
  lat: 45.52,
  lon: -122.67,
  accuracy: 4.6,
  altitude: 51.2,
  speed: 2.5,
  bearing: 271.4,
  battery: 63,
  alarm: null,
  source: 'osmand',
  mode: 'real',
};

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a1',
  type: 'sos',
  mode: 'real',
  state: 'active',
  operationId: null,
  senderId: 'm1',
  sender: 'VIPER',
  subjectId: null,
  subject: null,
  time: '2026-11-25T16:00:00.000Z',
  position: { lat: 45.5, lon: -122.6 },
  count: null,
  direction: null,
  text: 'fell into the ravine',
  acknowledgements: [],
  cancelledBy: null,
  cancelledAt: null,
  cancelReason: null,
  ...over,
});

describe('OwnTracks messages Howl sends', () => {
  it('turns a position into a location with integers and vel in km/h', () => {
    const msg = locationMessage(position, 'VI', 'owntracks/howl/VIPER');
    expect(msg).toEqual({
      _type: 'location',
      tid: 'VI',
      lat: 45.52,
      lon: -122.67,
      tst: Date.parse(position.time) / 1000,
      acc: 5,
      alt: 51,
      vel: 9,
      cog: 271,
      batt: 63,
      topic: 'owntracks/howl/VIPER',
    });
    expect(OwnTracksOut.parse(msg)).toEqual(msg);
  });

  it('leaves out what the position does not know', () => {
    const bare = { ...position, accuracy: null, altitude: null, speed: null, bearing: null, battery: null };
    expect(JSON.parse(JSON.stringify(locationMessage(bare, 'VI')))).toEqual({
      _type: 'location',
      tid: 'VI',
      lat: 45.52,
      lon: -122.67,
      tst: Date.parse(position.time) / 1000,
    });
  });

  it('names a member by callsign on the card', () => {
    expect(cardMessage('VIPER', 'VI')).toEqual({ _type: 'card', tid: 'VI', name: 'VIPER' });
  });

  it('words a real alert unlike an exercise one', () => {
    expect(alertText(alert(), 'raised')).toBe('REAL — NOT A DRILL — SOS from VIPER — fell into the ravine');
    const drill = alertText(alert({ mode: 'exercise', type: 'contact', count: 3, text: '' }), 'raised');
    expect(drill).toBe('EXERCISE EXERCISE EXERCISE — CONTACT: 3 hostiles reported by VIPER');
  });

  it('sends a raised alert as an enter and a cancelled one as a leave of the same region', () => {
    const now = new Date('2026-11-25T16:05:00Z');
    const raised = alertTransition(alert(), 'raised', { tid: 'VI', where: { lat: 45.5, lon: -122.6 }, now });
    expect(raised).toMatchObject({
      _type: 'transition',
      event: 'enter',
      t: 'c',
      tid: 'VI',
      lat: 45.5,
      acc: 0,
    });
    const cancelled = alertTransition(
      alert({ state: 'cancelled', cancelledAt: now.toISOString(), cancelReason: 'false alarm' }),
      'cancelled',
      { tid: 'VI', now },
    );
    expect(cancelled).toMatchObject({ event: 'leave', wtst: raised.wtst, tst: now.getTime() / 1000 });
    expect(cancelled.desc).toBe('REAL — NOT A DRILL — CANCELLED: SOS from VIPER — false alarm');
    expect(OwnTracksOut.parse(cancelled)).toEqual(cancelled);
  });
});

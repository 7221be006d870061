import { describe, expect, it } from 'vitest';
import { FieldPositionBody } from '../../../src/contract/positions.ts';
import { fixBody } from './sender.ts';

const position = (coords: Partial<GeolocationCoordinates>): GeolocationPosition =>
  ({
    timestamp: Date.parse('2026-05-01T12:00:00Z'),
    coords: {
      latitude: 46.5,
      longitude: 7.9,
      accuracy: 8,
      altitude: null,
      altitudeAccuracy: null,
      heading: null,
      speed: null,
      ...coords,
    },
  }) as GeolocationPosition;

describe('fixBody', () => {
  it('turns a browser fix into a body the contract accepts', () => {
    const body = fixBody(position({ heading: 90, speed: 1.5 }), 64);
    expect(FieldPositionBody.parse(body)).toEqual(body);
    expect(body).toMatchObject({ time: '2026-05-01T12:00:00.000Z', accuracy: 8, heading: 90, battery: 64 });
  });

  it('sends empty or out-of-range readings as null', () => {
    const body = fixBody(position({ heading: Number.NaN, altitude: -5000 }), null);
    expect(body.heading).toBeNull();
    expect(body.altitude).toBeNull();
    expect('battery' in body).toBe(false);
    expect(FieldPositionBody.safeParse(body).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  DOCS_NODEINFO,
  FIRMWARE_ENCRYPTED,
  FIRMWARE_NODEINFO,
  FIRMWARE_POSITION,
  FIRMWARE_TELEMETRY_DEVICE,
  FIRMWARE_TELEMETRY_ENVIRONMENT,
  FIRMWARE_TEXT,
  FIRMWARE_TEXT_EMPTY,
  FIRMWARE_TEXT_LONG,
  FIRMWARE_WAYPOINT,
} from '../../../test/fixtures/meshtastic/captures.ts';
import { nodeIdOf, nodeNumOf, parseMeshPacket, parseMeshTopic, precisionM } from './parse.ts';

const parse = (s: string) => parseMeshPacket(Buffer.from(s));
const ok = (s: string) => {
  const r = parse(s);
  if (!r.ok) throw new Error(`refused: ${r.field}: ${r.reason}`);
  return r.packet;
};

describe('Meshtastic topics', () => {
  it('reads region, channel and gateway from a JSON topic', () => {
    expect(parseMeshTopic('msh', 'msh/EU_868/2/json/LongFast/!67EA9400')).toEqual({
      region: 'EU_868',
      channel: 'LongFast',
      gateway: '!67ea9400',
    });
    expect(parseMeshTopic('msh', 'msh/US/CA/Motherlode/2/json/SAR/!0a0b0c0d')?.region).toBe(
      'US/CA/Motherlode',
    );
    // Firmware before 2.3 had no region level.
    expect(parseMeshTopic('msh', 'msh/2/json/LongFast/!0a0b0c0d')?.region).toBe('');
  });

  it('ignores protobuf, status and malformed topics', () => {
    expect(parseMeshTopic('msh', 'msh/EU_868/2/e/LongFast/!0a0b0c0d')).toBeUndefined();
    expect(parseMeshTopic('msh', 'msh/EU_868/2/stat/!0a0b0c0d')).toBeUndefined();
    expect(parseMeshTopic('msh', 'msh/EU_868/2/json/LongFast/gateway')).toBeUndefined();
    expect(parseMeshTopic('msh', 'other/EU_868/2/json/LongFast/!0a0b0c0d')).toBeUndefined();
  });

  it('turns node numbers into the ids the apps show, and back', () => {
    expect(nodeIdOf(2130636288)).toBe('!7efeee00');
    expect(nodeIdOf(-1)).toBe('!ffffffff');
    expect(nodeNumOf('!67EA9400')).toBe(1743426560);
    expect(nodeNumOf('67ea9400')).toBeUndefined();
  });
});

describe('Meshtastic JSON packets', () => {
  it('reads the firmware serializer’s position', () => {
    const p = ok(FIRMWARE_POSITION);
    expect(p.from).toBe(0x11223344);
    expect(p.id).toBe(0x9999);
    expect(p.body).toEqual({
      type: 'position',
      position: {
        lat: 37.4208,
        lon: -122.1981,
        altitudeM: 123,
        time: new Date(1609459200 * 1000),
        speedMps: undefined,
        bearingDeg: undefined,
        accuracyM: undefined,
        sats: undefined,
      },
    });
  });

  it('keeps a position without time for the time of receipt, and reads precision, DOP and track', () => {
    const p = ok(
      '{"from":1,"type":"position","payload":{"latitude_i":465500000,"longitude_i":79800000,"precision_bits":13,"ground_track":9000000,"ground_speed":2,"sats_in_view":7,"PDOP":150}}',
    );
    if (p.body.type !== 'position') throw new Error(p.body.type);
    expect(p.body.position.time).toBeUndefined();
    expect(p.body.position.accuracyM).toBe(precisionM(13));
    expect(p.body.position.bearingDeg).toBe(90);
    expect(p.body.position.sats).toBe(7);
    expect(precisionM(13)).toBeGreaterThan(1000);
    const dop = ok('{"from":1,"type":"position","payload":{"latitude_i":1,"longitude_i":1,"PDOP":150}}');
    if (dop.body.type !== 'position') throw new Error(dop.body.type);
    expect(dop.body.position.accuracyM).toBe(7.5);
  });

  it('reads text, nodeinfo and device telemetry; environment telemetry has no battery', () => {
    expect(ok(FIRMWARE_TEXT).body).toEqual({ type: 'text', text: 'Hello Meshtastic!' });
    expect(ok(FIRMWARE_TEXT_LONG).body).toEqual({ type: 'text', text: 'A'.repeat(200) });
    expect(ok(FIRMWARE_TEXT_EMPTY).body).toEqual({ type: 'text', text: '' });
    expect(ok(FIRMWARE_NODEINFO).body).toEqual({
      type: 'nodeinfo',
      longName: 'Test User',
      shortName: 'TEST',
    });
    expect(ok(FIRMWARE_TELEMETRY_DEVICE).body).toEqual({ type: 'telemetry', batteryPct: 85, voltage: 3.72 });
    expect(ok(FIRMWARE_TELEMETRY_ENVIRONMENT).body).toEqual({
      type: 'telemetry',
      batteryPct: undefined,
      voltage: 3.34,
    });
  });

  it('reads the docs’ nodeinfo with a signed `to` of older firmware', () => {
    const p = ok(DOCS_NODEINFO);
    expect(nodeIdOf(p.from)).toBe('!7efeee00');
    expect(p.body).toEqual({ type: 'nodeinfo', longName: 'base0', shortName: 'BA0' });
  });

  it('passes other types through as ignorable', () => {
    expect(ok(FIRMWARE_WAYPOINT).body).toEqual({ type: 'other', messageType: 'waypoint' });
  });

  it('refuses bad input and names the field', () => {
    const refused = (s: string) => {
      const r = parse(s);
      return r.ok ? 'accepted' : r.field;
    };
    expect(refused('{"from":1,"type":"position"')).toBe('(body)');
    expect(refused('[1,2]')).toBe('(body)');
    expect(refused(FIRMWARE_ENCRYPTED)).toBe('type');
    expect(refused('{"from":"!11223344","type":"position"}')).toBe('from');
    expect(refused('{"from":1,"type":"position","payload":{"latitude_i":"37","longitude_i":1}}')).toBe(
      'payload.latitude_i',
    );
    expect(refused('{"from":1,"type":"position","payload":{"latitude_i":950000000,"longitude_i":1}}')).toBe(
      'payload.latitude_i',
    );
    expect(refused('{"from":1,"type":"position","payload":{"latitude_i":1,"longitude_i":1900000000}}')).toBe(
      'payload.longitude_i',
    );
    expect(refused('{"from":1,"type":"text","payload":{"text":5}}')).toBe('payload.text');
    expect(refused('{"from":1.5,"type":"text","payload":{"text":"x"}}')).toBe('from');
  });
});

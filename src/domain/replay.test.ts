import { describe, expect, it } from 'vitest';
import type { Alert } from '../contract/alerts.ts';
import type { Contact, RollCall } from '../contract/incidents.ts';
import type { LiveEvent } from '../contract/live.ts';
import type { Operation } from '../contract/operations.ts';
import { eventCountAt, latestVersions, logStateAt, phaseSegments, replayStateAt } from './replay.ts';
import { eventKind, eventLine } from './replay-events.ts';

type Ev = LiveEvent & { timeMs: number };
const T0 = Date.parse('2026-11-25T16:00:00Z');
const min = (n: number) => T0 + n * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const op = (over: Partial<Operation>): Operation => ({
  id: 'ex',
  kind: 'exercise',
  type: 'general',
  name: 'Mock attack',
  scenario: '',
  area: null,
  state: 'planned',
  mode: 'exercise',
  participants: [],
  injects: [],
  escalatedFrom: null,
  escalatedTo: null,
  createdAt: iso(T0),
  startedAt: null,
  endedAt: null,
  pausedAt: null,
  pausedBy: null,
  playedS: 0,
  closeOverride: null,
  summary: null,
  ...over,
});

const alert = (over: Partial<Alert>): Alert => ({
  id: 'al',
  type: 'escalation',
  mode: 'real',
  state: 'active',
  operationId: 'inc',
  senderId: 'derek',
  sender: 'DEREK',
  subjectId: null,
  subject: null,
  time: iso(min(10)),
  position: null,
  count: null,
  direction: null,
  text: '',
  acknowledgements: [],
  cancelledBy: null,
  cancelledAt: null,
  cancelReason: null,
  ...over,
});

const contact = (over: Partial<Contact>): Contact => ({
  id: 'c1',
  operationId: 'ex',
  count: 6,
  withdrawn: 0,
  position: { lat: 45.53, lon: -122.67 },
  direction: null,
  text: '',
  reportedBy: 'isaac',
  time: iso(min(5)),
  updatedAt: iso(min(5)),
  ...over,
});

const rollCall = (answers: RollCall['answers']): RollCall => ({
  id: 'rc',
  operationId: 'inc',
  startedAt: iso(min(10)),
  startedBy: null,
  deadlineAt: iso(min(15)),
  memberIds: ['derek', 'scott', 'stiles'],
  answers,
});

type Body = LiveEvent extends infer T ? (T extends LiveEvent ? Omit<T, 'seq' | 'mode'> : never) : never;
let seq = 0;
const at = (ms: number, mode: 'exercise' | 'real', e: Body): Ev =>
  ({ ...e, seq: ++seq, mode, timeMs: ms }) as Ev;

const story: Ev[] = [
  at(min(0), 'real', { type: 'operation.updated', change: 'created', by: 'derek', operation: op({}) }),
  at(min(1), 'exercise', {
    type: 'operation.updated',
    change: 'started',
    by: 'derek',
    operation: op({ state: 'running', startedAt: iso(min(1)) }),
  }),
  at(min(5), 'exercise', {
    type: 'alert.updated',
    change: 'raised',
    by: 'isaac',
    alert: alert({
      id: 'ca',
      type: 'contact',
      mode: 'exercise',
      sender: 'ISAAC',
      count: 6,
      operationId: 'ex',
    }),
  }),
  at(min(5), 'exercise', { type: 'contact.updated', contact: contact({}) }),
  at(min(10), 'real', {
    type: 'operation.updated',
    change: 'suspended',
    by: 'derek',
    operation: op({ state: 'suspended', startedAt: iso(min(1)), escalatedTo: 'inc' }),
  }),
  at(min(10), 'real', {
    type: 'operation.updated',
    change: 'opened',
    by: 'derek',
    operation: op({
      id: 'inc',
      kind: 'incident',
      mode: 'real',
      state: 'open',
      name: 'Hale House',
      escalatedFrom: 'ex',
    }),
  }),
  at(min(10), 'real', { type: 'alert.updated', change: 'raised', by: 'derek', alert: alert({}) }),
  at(min(10), 'real', { type: 'rollcall.updated', rollCall: rollCall([]) }),
  at(min(12), 'real', {
    type: 'alert.updated',
    change: 'acknowledged',
    by: 'scott',
    alert: alert({ acknowledgements: [{ memberId: 'scott', callsign: 'SCOTT', time: iso(min(12)) }] }),
  }),
  at(min(13), 'real', {
    type: 'rollcall.updated',
    rollCall: rollCall([{ memberId: 'scott', status: 'ok', reportedBy: 'scott', time: iso(min(13)) }]),
  }),
  at(min(14), 'real', {
    type: 'contact.updated',
    contact: contact({ withdrawn: 6, updatedAt: iso(min(14)) }),
  }),
  at(min(30), 'real', {
    type: 'operation.updated',
    change: 'closed',
    by: 'derek',
    operation: op({ id: 'inc', kind: 'incident', mode: 'real', state: 'closed', name: 'Hale House' }),
  }),
];

describe('the event log at a moment', () => {
  it('has nothing before the first event', () => {
    const s = logStateAt(story, min(-1));
    expect(s).toMatchObject({
      index: -1,
      active: null,
      mode: 'real',
      alerts: [],
      contacts: [],
      rollCall: null,
    });
  });

  it('is in exercise mode from STARTEX, with the exercise contact as then reported', () => {
    const s = logStateAt(story, min(6));
    expect(s.active?.id).toBe('ex');
    expect(s.mode).toBe('exercise');
    expect(s.alerts.map((a) => [a.id, a.mode])).toEqual([['ca', 'exercise']]);
    expect(s.contacts).toEqual([{ contact: contact({}), mode: 'exercise' }]);
  });

  it('turns real at the escalation: the incident holds the team, its alert fired, the roll call open', () => {
    const s = logStateAt(story, min(10));
    expect(s.active).toMatchObject({ id: 'inc', kind: 'incident', state: 'open' });
    expect(s.mode).toBe('real');
    expect(s.alerts.map((a) => a.id)).toEqual(['al', 'ca']);
    expect(s.alerts[0]?.acknowledgements).toEqual([]);
    expect(s.rollCall?.answers).toEqual([]);
    expect(s.operations.map((o) => [o.id, o.state])).toEqual([
      ['ex', 'suspended'],
      ['inc', 'open'],
    ]);
  });

  it('gives acknowledgements and roll-call answers as far as they had come, and accountability then', () => {
    const before = replayStateAt({ events: story, tracks: [] }, min(12) - 1, {
      staleMs: 120_000,
      tailMs: 60_000,
    });
    expect(before.alerts[0]?.acknowledgements).toEqual([]);
    const after = replayStateAt({ events: story, tracks: [] }, min(13), { staleMs: 120_000, tailMs: 60_000 });
    expect(after.alerts[0]?.acknowledgements.map((a) => a.callsign)).toEqual(['SCOTT']);
    expect(after.accountability).toEqual({
      accounted: ['scott'],
      unaccounted: [],
      pending: ['derek', 'stiles'],
      total: 3,
    });
    // Past the deadline, the ones who did not answer are unaccounted.
    const late = replayStateAt({ events: story, tracks: [] }, min(16), { staleMs: 120_000, tailMs: 60_000 });
    expect(late.accountability?.unaccounted).toEqual(['derek', 'stiles']);
    expect(late.contacts[0]).toMatchObject({ contact: { withdrawn: 6 }, mode: 'real' });
  });

  it('counts the events that happened by a moment, several at the same millisecond included', () => {
    expect(eventCountAt(story, min(10) - 1)).toBe(4);
    expect(eventCountAt(story, min(10))).toBe(8);
    expect(eventCountAt(story, min(99))).toBe(story.length);
  });

  it('is back to real with no operation after the close', () => {
    const s = logStateAt(story, min(31));
    expect(s.active).toBeNull();
    expect(s.mode).toBe('real');
  });
});

describe('the timeline by phase', () => {
  it('changes colour at STARTEX, at the escalation and at the close', () => {
    expect(phaseSegments(story, min(-5), min(40))).toEqual([
      { fromMs: min(-5), toMs: min(1), phase: 'none', mode: 'real' },
      { fromMs: min(1), toMs: min(10), phase: 'exercise', mode: 'exercise' },
      { fromMs: min(10), toMs: min(30), phase: 'incident', mode: 'real' },
      { fromMs: min(30), toMs: min(40), phase: 'none', mode: 'real' },
    ]);
  });

  it('starts in the phase of the events before the window', () => {
    expect(phaseSegments(story, min(11), min(20))).toEqual([
      { fromMs: min(11), toMs: min(20), phase: 'incident', mode: 'real' },
    ]);
  });
});

describe('events as a timeline lists them', () => {
  const callsign = (id: string | null | undefined) => (id ? id.toUpperCase() : 'HOWL');

  it('says what happened, keeping the EXERCISE word on exercise traffic', () => {
    expect(story.map((e) => eventLine(e, callsign))).toEqual([
      'Exercise planned: Mock attack (DEREK)',
      'STARTEX: Mock attack (DEREK)',
      'EXERCISE CONTACT: 6 hostiles reported by ISAAC',
      'EXERCISE Contact: 6 hostiles',
      'Exercise suspended (real incident): Mock attack (DEREK)',
      'REAL WORLD: incident opened: Hale House (DEREK)',
      'REAL WORLD declared by DEREK',
      'Roll call: 0 of 3 accounted',
      'SCOTT acknowledged: REAL WORLD declared by DEREK',
      'Roll call: 1 of 3 accounted',
      'Contact: 6 hostiles, 6 withdrawn',
      'Incident closed: Hale House (DEREK)',
    ]);
    expect(story.map(eventKind)).toContain('ack');
  });

  it('leaves out what is not part of the story', () => {
    const revoked = at(min(1), 'real', { type: 'token.revoked', memberId: 'scott' });
    expect(eventKind(revoked)).toBeNull();
  });
});

describe('the state an earlier stretch of the log leaves', () => {
  it('keeps the last event of each thing, and folds to the same state', () => {
    const kept = latestVersions(story);
    expect(kept.map((e) => story.indexOf(e) + 1)).toEqual([3, 5, 9, 10, 11, 12]);
    const strip = (s: ReturnType<typeof logStateAt>) => ({ ...s, index: 0 });
    expect(strip(logStateAt(kept, min(99)))).toEqual(strip(logStateAt(story, min(99))));
  });
});

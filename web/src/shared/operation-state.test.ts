import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import {
  emptyOperationState,
  fromSnapshot,
  type OperationState,
  withAlertList,
  withOperation,
  withOperationEvent,
  withReminder,
} from './operation-state.ts';

const op = (id: string, kind: Operation['kind'], state: Operation['state']): Operation => ({
  id,
  kind,
  type: 'general',
  name: id,
  scenario: '',
  area: null,
  state,
  mode: kind === 'exercise' ? 'exercise' : 'real',
  participants: [],
  injects:
    kind === 'incident'
      ? []
      : [
          { id: 'i1', offsetS: 60, message: 'Runner is hurt', deliveredAt: null },
          { id: 'i0', offsetS: 0, message: 'Go', deliveredAt: '2026-05-01T12:00:00.000Z' },
        ],
  escalatedFrom: null,
  escalatedTo: null,
  createdAt: '2026-05-01T11:00:00.000Z',
  startedAt: null,
  endedAt: null,
  pausedAt: null,
  pausedBy: null,
  playedS: 0,
  closeOverride: null,
  summary: null,
});

const alert = (id: string, state: Alert['state'], acks = 0): Alert => ({
  id,
  type: 'sos',
  mode: 'real',
  state,
  operationId: null,
  senderId: 'a',
  sender: 'STILES',
  subjectId: null,
  subject: null,
  time: '2026-05-01T12:00:00.000Z',
  position: null,
  count: null,
  direction: null,
  text: '',
  acknowledgements: Array.from({ length: acks }, (_, i) => ({
    memberId: `m${i}`,
    callsign: `M${i}`,
    time: '2026-05-01T12:00:01.000Z',
  })),
  cancelledBy: null,
  cancelledAt: null,
  cancelReason: null,
});

describe('operation state', () => {
  it('keeps a planned exercise aside and makes it active at STARTEX with its delivered injects', () => {
    let s = withOperation(emptyOperationState, op('x', 'exercise', 'planned'));
    expect(s.planned.map((o) => o.id)).toEqual(['x']);
    expect(s.operation).toBeNull();
    s = withOperation(s, op('x', 'exercise', 'running'));
    expect(s.planned).toEqual([]);
    expect(s.operation?.state).toBe('running');
    expect(s.injects.map((i) => i.id)).toEqual(['i0']);
    expect(s.board).not.toBeNull();
  });

  it('lets an escalation replace the exercise with the incident whatever the order of the events', () => {
    const running = withOperation(emptyOperationState, op('x', 'exercise', 'running'));
    const a = withOperation(
      withOperation(running, op('x', 'exercise', 'suspended')),
      op('r', 'incident', 'open'),
    );
    const b = withOperation(
      withOperation(running, op('r', 'incident', 'open')),
      op('x', 'exercise', 'suspended'),
    );
    expect(a.operation?.id).toBe('r');
    expect(b.operation?.id).toBe('r');
    expect(b.injects).toEqual([]);
  });

  it('forgets the board when the active operation ends', () => {
    const open = withOperation(emptyOperationState, op('r', 'incident', 'open'));
    const closed = withOperation(open, op('r', 'incident', 'closed'));
    expect(closed.operation).toBeNull();
    expect(closed.board).toBeNull();
  });

  it('appends a delivered inject once, only for the active exercise', () => {
    const s = withOperation(emptyOperationState, op('x', 'exercise', 'running'));
    const inject = { id: 'i1', offsetS: 60, message: 'Runner is hurt', deliveredAt: '2026-05-01T12:01:00Z' };
    const event = { type: 'inject.delivered', seq: 3, mode: 'exercise', operationId: 'x', inject } as const;
    const once = withOperationEvent(s, event);
    expect(withOperationEvent(once, event).injects.map((i) => i.id)).toEqual(['i0', 'i1']);
    expect(withOperationEvent(s, { ...event, operationId: 'other' })).toBe(s);
  });

  it('upserts contacts, casualties and callout answers into the board', () => {
    let s = withOperation(emptyOperationState, op('r', 'incident', 'open'));
    const contact = {
      id: 'c',
      operationId: 'r',
      count: 6,
      withdrawn: 0,
      position: null,
      direction: 'north',
      text: '',
      reportedBy: 'STILES',
      time: '2026-05-01T12:00:00Z',
      updatedAt: '2026-05-01T12:00:00Z',
    };
    s = withOperationEvent(s, { type: 'contact.updated', seq: 1, mode: 'real', contact });
    s = withOperationEvent(s, {
      type: 'contact.updated',
      seq: 2,
      mode: 'real',
      contact: { ...contact, withdrawn: 3 },
    });
    const response = { memberId: 'a', status: 'responding' as const, etaMinutes: 10, time: contact.time };
    s = withOperationEvent(s, { type: 'callout.updated', seq: 3, mode: 'real', operationId: 'r', response });
    s = withOperationEvent(s, {
      type: 'callout.updated',
      seq: 4,
      mode: 'real',
      operationId: 'r',
      response: { ...response, status: 'arrived', etaMinutes: null },
    });
    expect(s.board?.contacts.map((c) => c.withdrawn)).toEqual([3]);
    expect(s.board?.callout.map((c) => c.status)).toEqual(['arrived']);
  });

  it('keeps known closed alerts across a snapshot that lists active ones only', () => {
    let s: OperationState = {
      ...emptyOperationState,
      alerts: [alert('old', 'cancelled'), alert('stale', 'active')],
    };
    s = fromSnapshot(s, { operation: null, alerts: [alert('new', 'active')], board: null });
    expect(s.alerts.map((a) => a.id)).toEqual(['new', 'old']);
  });

  it('counts reminders so each one can sound again', () => {
    const r = { alertId: 'a1', memberIds: ['b'], alert: alert('a1', 'active') };
    const s = withReminder(withReminder(emptyOperationState, r), r);
    expect(s.reminder?.n).toBe(2);
    expect(s.alerts).toHaveLength(1);
  });

  it('prefers a live update over an older REST copy of the same alert', () => {
    const s = withAlertList({ ...emptyOperationState, alerts: [alert('a1', 'active', 2)] }, [
      alert('a1', 'active', 1),
      alert('a0', 'resolved'),
    ]);
    expect(s.alerts.map((a) => [a.id, a.acknowledgements.length])).toEqual([
      ['a1', 2],
      ['a0', 0],
    ]);
  });
});

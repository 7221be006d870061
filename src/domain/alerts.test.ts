import { describe, expect, it } from 'vitest';
import {
  ALERT_URGENCY,
  type AlertCore,
  alertHeadline,
  CONDITION_ALERTS,
  resendDue,
  sortAlerts,
  sosSenders,
  unacknowledged,
} from './alerts.ts';
import { ALERT_TYPES, type AlertType } from './vocabulary.ts';

const NOW = Date.UTC(2026, 10, 25, 16, 0, 0);
const alert = (over: Partial<AlertCore> & { id?: string } = {}): AlertCore & { id: string } => ({
  id: 'a',
  type: 'sos',
  mode: 'real',
  state: 'active',
  timeMs: NOW,
  ackedBy: [],
  ...over,
});

describe('sortAlerts', () => {
  it('puts active alerts first, then the newest first', () => {
    const sorted = sortAlerts([
      alert({ id: 'old-active', timeMs: NOW - 60_000 }),
      alert({ id: 'new-cancelled', state: 'cancelled', timeMs: NOW }),
      alert({ id: 'new-active', timeMs: NOW - 1_000 }),
      alert({ id: 'old-resolved', state: 'resolved', timeMs: NOW - 120_000 }),
      alert({ id: 'newer-resolved', state: 'resolved', timeMs: NOW - 30_000 }),
    ]);
    expect(sorted.map((a) => a.id)).toEqual([
      'new-active',
      'old-active',
      'new-cancelled',
      'newer-resolved',
      'old-resolved',
    ]);
  });

  it('puts the most urgent first among alerts raised at the same moment', () => {
    const sorted = sortAlerts([
      alert({ id: 'escalation', type: 'escalation' }),
      alert({ id: 'separation', type: 'separation' }),
      alert({ id: 'sos', type: 'sos' }),
    ]);
    expect(sorted.map((a) => a.id)).toEqual(['sos', 'escalation', 'separation']);
  });

  it('ranks every alert type for urgency', () => {
    expect([...ALERT_URGENCY].sort()).toEqual([...ALERT_TYPES].sort());
  });

  it('does not change the list it is given', () => {
    const list = [alert({ id: 'x', timeMs: NOW - 1 }), alert({ id: 'y', timeMs: NOW })];
    sortAlerts(list);
    expect(list.map((a) => a.id)).toEqual(['x', 'y']);
  });
});

describe('unacknowledged', () => {
  it('lists the members who have not acknowledged, in the order given', () => {
    expect(unacknowledged(alert({ ackedBy: ['b'] }), ['a', 'b', 'c'])).toEqual(['a', 'c']);
  });

  it('is empty once everyone has acknowledged, and ignores acks of non-members', () => {
    expect(unacknowledged(alert({ ackedBy: ['a', 'b', 'gone'] }), ['a', 'b'])).toEqual([]);
  });
});

describe('resendDue', () => {
  it('is due for an active real alert once the interval has passed since the last send', () => {
    expect(resendDue(alert(), NOW - 29_999, NOW, 30)).toBe(false);
    expect(resendDue(alert(), NOW - 30_000, NOW, 30)).toBe(true);
    expect(resendDue(alert(), NOW - 90_000, NOW, 30)).toBe(true);
  });

  it('follows the interval it is given', () => {
    expect(resendDue(alert(), NOW - 10_000, NOW, 10)).toBe(true);
    expect(resendDue(alert(), NOW - 10_000, NOW, 60)).toBe(false);
  });

  it('never re-sends exercise traffic', () => {
    expect(resendDue(alert({ mode: 'exercise' }), NOW - 600_000, NOW, 30)).toBe(false);
  });

  it('never re-sends a cancelled or resolved alert', () => {
    expect(resendDue(alert({ state: 'cancelled' }), NOW - 600_000, NOW, 30)).toBe(false);
    expect(resendDue(alert({ state: 'resolved' }), NOW - 600_000, NOW, 30)).toBe(false);
  });
});

describe('CONDITION_ALERTS', () => {
  it('are the alerts Howl raises and resolves by itself', () => {
    expect([...CONDITION_ALERTS].sort()).toEqual(['geofence', 'man_down', 'no_report', 'separation']);
  });
});

describe('alertHeadline', () => {
  const h = (type: AlertType, count: number | null = null) =>
    alertHeadline({ type, sender: 'ALFA', subject: 'BRAVO', count });

  it('words each type for a glance', () => {
    expect(h('escalation')).toBe('REAL WORLD declared by ALFA');
    expect(h('sos')).toBe('SOS from ALFA');
    expect(h('separation')).toBe('BRAVO is separated from the team');
    expect(h('no_report')).toBe('BRAVO has stopped reporting');
    expect(h('geofence')).toBe('BRAVO left the exercise area');
    expect(h('man_down')).toBe('BRAVO has not moved: man down?');
    expect(h('missing')).toBe('BRAVO is reported MISSING');
  });

  it('counts hostiles in a contact report, singular and plural', () => {
    expect(h('contact', 6)).toBe('CONTACT: 6 hostiles reported by ALFA');
    expect(h('contact', 1)).toBe('CONTACT: 1 hostile reported by ALFA');
    expect(h('contact', null)).toBe('CONTACT: ? hostiles reported by ALFA');
  });

  it('shows a question mark for a missing subject', () => {
    expect(alertHeadline({ type: 'separation', sender: 'HOWL', subject: null, count: null })).toBe(
      '? is separated from the team',
    );
  });
});

describe('sosSenders', () => {
  it('lists the members whose SOS is active, and no one whose SOS was cancelled', () => {
    expect(
      sosSenders([
        { type: 'sos', mode: 'real', state: 'active', senderId: 'alfa' },
        { type: 'sos', mode: 'real', state: 'cancelled', senderId: 'bravo' },
        { type: 'escalation', mode: 'real', state: 'active', senderId: 'charlie' },
        { type: 'sos', mode: 'real', state: 'active', senderId: null },
      ]),
    ).toEqual(new Map([['alfa', 'real']]));
  });
});

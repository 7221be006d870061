import { describe, expect, it } from 'vitest';
import {
  audience,
  concerns,
  itemHeadline,
  pendingFor,
  type TriageAlert,
  triage,
  triageClass,
} from './triage.ts';
import type { AlertType, Mode } from './vocabulary.ts';

const T0 = 1_800_000_000_000;
let n = 0;
const alert = (type: AlertType, over: Partial<TriageAlert> = {}): TriageAlert => ({
  id: `a${++n}`,
  type,
  mode: 'real' as Mode,
  state: 'active',
  timeMs: T0,
  ackedBy: [],
  senderId: null,
  sender: 'HOWL',
  subjectId: null,
  subject: null,
  count: null,
  ...over,
});
const LEAD = { memberId: 'lead', role: 'leader' as const };
const ALFA = { memberId: 'alfa', role: 'member' as const };

describe('triageClass', () => {
  it('puts SOS and escalation first, reports next, what Howl raises by itself last', () => {
    expect(['sos', 'escalation'].map((t) => triageClass(t as AlertType))).toEqual(['howl', 'howl']);
    expect(['contact', 'missing'].map((t) => triageClass(t as AlertType))).toEqual(['alarm', 'alarm']);
    expect(
      ['separation', 'no_report', 'geofence', 'man_down'].map((t) => triageClass(t as AlertType)),
    ).toEqual(['condition', 'condition', 'condition', 'condition']);
  });
});

describe('who an alert is for', () => {
  const members = [
    { id: 'lead', role: 'leader' as const },
    { id: 'alfa', role: 'member' as const },
    { id: 'bravo', role: 'member' as const },
  ];

  it('sends a condition to the leaders and the member it is about only, everything else to everyone', () => {
    const sep = alert('separation', { subjectId: 'bravo', subject: 'BRAVO' });
    expect(audience(sep, members)).toEqual(['lead', 'bravo']);
    expect(concerns(sep, ALFA)).toBe(false);
    expect(concerns(sep, LEAD)).toBe(true);
    expect(audience(alert('escalation', { senderId: 'alfa' }), members)).toEqual(['lead', 'alfa', 'bravo']);
    expect(audience(alert('missing', { subjectId: 'bravo' }), members)).toEqual(['lead', 'alfa', 'bravo']);
  });
});

describe('triage', () => {
  it('shows the howl first and alone, then reports, then conditions grouped behind', () => {
    // As the drill saw it: the conditions came before the declaration.
    const silent = alert('no_report', { subjectId: 'lead', subject: 'LEAD', timeMs: T0 - 60_000 });
    const seps = ['ALFA', 'BRAVO', 'CHARLIE', 'DELTA'].map((cs, i) =>
      alert('separation', { subjectId: cs.toLowerCase(), subject: cs, timeMs: T0 - 50_000 + i }),
    );
    const esc = alert('escalation', { sender: 'ECHO', senderId: 'echo', timeMs: T0 });
    const contact = alert('contact', { sender: 'ALFA', count: 6, timeMs: T0 + 5_000 });
    const items = triage([...seps, silent, contact, esc]);
    expect(items.map((i) => [i.kind, i.type, i.alerts.length])).toEqual([
      ['howl', 'escalation', 1],
      ['alarm', 'contact', 1],
      ['condition', 'no_report', 1],
      ['condition', 'separation', 4],
    ]);
    expect(items.map(itemHeadline)).toEqual([
      'REAL WORLD declared by ECHO',
      'CONTACT: 6 hostiles reported by ALFA',
      'LEAD has stopped reporting',
      '4 members separated from the team',
    ]);
    expect(items[3]?.alerts.map((a) => a.subject)).toEqual(['ALFA', 'BRAVO', 'CHARLIE', 'DELTA']);
  });

  it('orders SOS before the escalation it caused, oldest first, and real before exercise', () => {
    const ex = alert('contact', { mode: 'exercise', timeMs: T0 - 100_000 });
    const esc = alert('escalation', { timeMs: T0 });
    const sos2 = alert('sos', { timeMs: T0 + 9_000 });
    const sos1 = alert('sos', { timeMs: T0 + 1 });
    expect(triage([ex, esc, sos2, sos1]).map((i) => i.key)).toEqual([sos1.id, sos2.id, esc.id, ex.id]);
  });

  it('keeps exercise and real conditions in groups of their own', () => {
    const a = alert('separation', { mode: 'exercise', subjectId: 'a' });
    const b = alert('separation', { mode: 'real', subjectId: 'b' });
    expect(triage([a, b]).map((i) => i.key)).toEqual(['real:separation', 'exercise:separation']);
  });
});

describe('pendingFor', () => {
  it('leaves out what the viewer sent, acknowledged, or is not concerned by, and ended alerts', () => {
    const alerts = [
      alert('escalation', { senderId: 'alfa' }),
      alert('sos', { senderId: 'bravo', ackedBy: ['alfa'] }),
      alert('contact', { state: 'resolved' }),
      alert('separation', { subjectId: 'bravo' }),
      alert('separation', { subjectId: 'alfa' }),
      alert('missing', { subjectId: 'charlie' }),
    ];
    expect(pendingFor(alerts, ALFA).map((i) => i.key)).toEqual([alerts[5]?.id, 'real:separation']);
    expect(pendingFor(alerts, ALFA)[1]?.alerts.map((a) => a.subjectId)).toEqual(['alfa']);
    const lead = pendingFor(alerts, LEAD);
    expect(lead.map((i) => [i.type, i.alerts.length])).toEqual([
      ['sos', 1],
      ['escalation', 1],
      ['missing', 1],
      ['separation', 2],
    ]);
  });
});

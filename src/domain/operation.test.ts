import { describe, expect, it } from 'vitest';
import { EXERCISE_PREFIX, notificationText, teamMode } from './mode.ts';
import {
  activeOperation,
  canEditPlan,
  canResumeSuspended,
  canSendInject,
  canStartExercise,
  escalation,
  exerciseTransition,
  incidentName,
  isActive,
  playedSeconds,
} from './operation.ts';

const ex = (state: Parameters<typeof exerciseTransition>[0]['state']) => ({
  kind: 'exercise' as const,
  state,
});
const incident = (state: 'open' | 'closed') => ({ kind: 'incident' as const, state });

describe('exercise state machine', () => {
  it('goes planned → running → paused → running → ended', () => {
    expect(exerciseTransition(ex('planned'), 'start')).toEqual({ ok: true, state: 'running' });
    expect(exerciseTransition(ex('running'), 'pause')).toEqual({ ok: true, state: 'paused' });
    expect(exerciseTransition(ex('paused'), 'resume')).toEqual({ ok: true, state: 'running' });
    expect(exerciseTransition(ex('running'), 'end')).toEqual({ ok: true, state: 'ended' });
  });

  it('refuses moves that make no sense, saying why', () => {
    expect(exerciseTransition(ex('planned'), 'pause')).toMatchObject({
      ok: false,
      reason: /cannot pause .* planned/,
    });
    expect(exerciseTransition(ex('running'), 'start').ok).toBe(false);
    expect(exerciseTransition(ex('ended'), 'resume').ok).toBe(false);
    expect(exerciseTransition(incident('open'), 'end')).toMatchObject({ ok: false, reason: /close it/ });
  });

  it('lets a suspended exercise be ended, keeping its record', () => {
    expect(exerciseTransition(ex('suspended'), 'end')).toEqual({ ok: true, state: 'ended' });
  });

  it('resumes a suspended exercise only once its incident is closed and nothing else holds the team', () => {
    expect(exerciseTransition(ex('suspended'), 'resume')).toEqual({ ok: true, state: 'running' });
    expect(canResumeSuspended(incident('open'), incident('open'))).toMatchObject({
      ok: false,
      reason: /still open/,
    });
    expect(canResumeSuspended(incident('closed'), undefined)).toEqual({ ok: true, state: 'running' });
    expect(canResumeSuspended(incident('closed'), ex('running'))).toMatchObject({
      ok: false,
      reason: /another exercise/,
    });
    expect(canResumeSuspended(incident('closed'), incident('open'))).toMatchObject({
      ok: false,
      reason: /real incident/,
    });
  });

  it('edits only a planned exercise, and sends an inject now only while running and not yet delivered', () => {
    expect(canEditPlan(ex('planned')).ok).toBe(true);
    for (const state of ['running', 'paused', 'suspended', 'ended'] as const)
      expect(canEditPlan(ex(state))).toMatchObject({ ok: false, reason: new RegExp(state) });
    expect(canEditPlan(incident('open')).ok).toBe(false);
    expect(canSendInject(ex('running'), false).ok).toBe(true);
    expect(canSendInject(ex('running'), true)).toMatchObject({ ok: false, reason: /already/ });
    expect(canSendInject(ex('paused'), false).ok).toBe(false);
    expect(canSendInject(ex('planned'), false).ok).toBe(false);
  });
});

describe('the active operation', () => {
  it('counts running and paused exercises and open incidents as active', () => {
    expect(
      ['planned', 'running', 'paused', 'suspended', 'ended'].map((s) => isActive(ex(s as never))),
    ).toEqual([false, true, true, false, false]);
    expect(isActive(incident('open'))).toBe(true);
    expect(isActive(incident('closed'))).toBe(false);
  });

  it('gives a real incident precedence over an exercise', () => {
    expect(activeOperation([ex('running'), incident('open')])).toEqual(incident('open'));
    expect(activeOperation([ex('planned'), ex('paused')])).toEqual(ex('paused'));
    expect(activeOperation([ex('ended'), incident('closed')])).toBeUndefined();
  });

  it('starts an exercise only when nothing else holds the team', () => {
    expect(canStartExercise(undefined).ok).toBe(true);
    expect(canStartExercise(incident('open'))).toMatchObject({ ok: false, reason: /real incident/ });
    expect(canStartExercise(ex('paused'))).toMatchObject({ ok: false, reason: /another exercise/ });
  });

  it('escalates a running exercise by suspending it, and refuses to escalate twice', () => {
    expect(escalation(ex('running'))).toEqual({ ok: true, suspends: true });
    expect(escalation(ex('paused'))).toEqual({ ok: true, suspends: true });
    expect(escalation(undefined)).toEqual({ ok: true, suspends: false });
    expect(escalation(incident('open'))).toMatchObject({ ok: false, reason: /already open/ });
  });

  it('counts played time without the pauses', () => {
    expect(playedSeconds(120, null, 1_000_000)).toBe(120);
    expect(playedSeconds(120, 1_000_000, 1_030_000)).toBe(150);
    expect(playedSeconds(0, 1_000_000, 999_000)).toBe(0);
  });
});

describe('mode', () => {
  it('is exercise only while an exercise runs or is paused, and real otherwise', () => {
    expect(teamMode(ex('running'))).toBe('exercise');
    expect(teamMode(ex('paused'))).toBe('exercise');
    for (const op of [undefined, null, ex('planned'), ex('ended'), ex('suspended'), incident('open')]) {
      expect(teamMode(op)).toBe('real');
    }
  });

  it('words exercise traffic with the triple prefix and real traffic as not a drill', () => {
    expect(notificationText('exercise', 'contact north')).toBe(`${EXERCISE_PREFIX} — contact north`);
    expect(EXERCISE_PREFIX).toBe('EXERCISE EXERCISE EXERCISE');
    expect(notificationText('real', 'contact north')).toBe('REAL — NOT A DRILL — contact north');
  });
});

describe('an escalated incident’s name', () => {
  it('says what happened, on one line of at most 80 characters', () => {
    expect(incidentName('Real hostiles on the trail')).toBe('Real hostiles on the trail');
    expect(incidentName('  SOS from SCOTT \n fell near the river')).toBe('SOS from SCOTT');
    const long = incidentName('x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
    expect(incidentName('   ')).toBe('Real incident');
  });
});

import { describe, expect, it } from 'vitest';
import { alertPush, pushEndpointAllowed, rollCallPush } from './push.ts';

const alert = (over: object = {}) => ({
  id: 'a1',
  type: 'sos' as const,
  mode: 'real' as const,
  sender: 'SCOTT',
  subject: null,
  count: null,
  text: 'twisted ankle',
  ...over,
});

describe('push endpoints', () => {
  it('accepts the browsers’ push services and the origins a team adds, nothing else', () => {
    for (const ok of [
      'https://fcm.googleapis.com/fcm/send/abc:def',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
      'https://web.push.apple.com/QGx4',
      'https://wns2-par02p.notify.windows.com/w/?token=x',
    ])
      expect(pushEndpointAllowed(ok), ok).toBe(true);
    for (const bad of [
      'http://fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com.evil.example/x',
      'https://user:pw@fcm.googleapis.com/x',
      'https://169.254.169.254/latest/meta-data',
      'https://127.0.0.1:9999/push',
      'not a url',
      'javascript:alert(1)',
    ])
      expect(pushEndpointAllowed(bad), bad).toBe(false);
    expect(pushEndpointAllowed('https://127.0.0.1:9999/push/1', ['https://127.0.0.1:9999'])).toBe(true);
  });
});

describe('push wording', () => {
  it('makes a real alert loud, sticky, with Acknowledge; its re-send says it is not acknowledged', () => {
    const p = alertPush(alert(), false);
    expect(p).toMatchObject({
      title: 'REAL — NOT A DRILL',
      body: 'SOS from SCOTT: twisted ankle',
      requireInteraction: true,
      silent: false,
      urgency: 'high',
      actions: [{ action: 'ack', title: 'Acknowledge' }],
      tag: 'alert-a1',
    });
    expect(p.vibrate.length).toBeGreaterThan(4);
    expect(alertPush(alert(), true).body).toBe('SOS from SCOTT: twisted ankle (not acknowledged yet)');
  });

  it('makes an exercise alert quiet and prefixed, never looking like a real one', () => {
    const p = alertPush(alert({ mode: 'exercise', type: 'contact', count: 6, text: '' }), false);
    expect(p).toMatchObject({
      title: 'EXERCISE EXERCISE EXERCISE',
      body: 'CONTACT: 6 hostiles reported by SCOTT',
      requireInteraction: false,
      silent: true,
      vibrate: [],
    });
    expect(p.title).not.toContain('REAL');
  });

  it('asks a callout whether you are coming, and a roll call whether you are OK', () => {
    expect(
      alertPush(alert({ type: 'escalation', text: 'Missing walker' }), false).actions.map((a) => a.action),
    ).toEqual(['responding', 'unavailable']);
    expect(rollCallPush({ id: 'r1', mode: 'real' })).toMatchObject({
      body: 'ROLL CALL: are you OK?',
      actions: [{ action: 'ok' }, { action: 'needs_help' }],
      requireInteraction: true,
    });
    expect(rollCallPush({ id: 'r1', mode: 'exercise' }).title).toBe('EXERCISE EXERCISE EXERCISE');
  });
});

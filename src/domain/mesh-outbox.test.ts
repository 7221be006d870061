import { describe, expect, it } from 'vitest';
import {
  EMPTY_OUTBOX,
  enqueueMeshText,
  fitBytes,
  MESH_TEXT_MAX_BYTES,
  type MeshOutbox,
  meshAlertText,
  meshMessageText,
  nextMeshText,
} from './mesh-outbox.ts';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('mesh outbox', () => {
  it('sends one text per interval, alerts before messages', () => {
    let box: MeshOutbox = EMPTY_OUTBOX;
    box = enqueueMeshText(box, { kind: 'message', text: 'm1' });
    box = enqueueMeshText(box, { kind: 'message', text: 'm2' });
    box = enqueueMeshText(box, { kind: 'alert', text: 'a1' });
    const sent: string[] = [];
    const step = (nowMs: number) => {
      const r = nextMeshText(box, nowMs, 30_000);
      box = r.box;
      if (r.send) sent.push(r.send.text);
      return r.waitMs;
    };
    expect(step(0)).toBe(30_000);
    expect(step(1000)).toBe(29_000);
    expect(step(29_999)).toBe(1);
    step(30_000);
    step(59_999);
    step(60_000);
    expect(sent).toEqual(['a1', 'm1', 'm2']);
    expect(box.queue).toEqual([]);
  });

  it('merges a text equal to one waiting, the alert kind winning', () => {
    let box = enqueueMeshText(EMPTY_OUTBOX, { kind: 'message', text: 'same' });
    box = enqueueMeshText(box, { kind: 'message', text: 'same' });
    box = enqueueMeshText(box, { kind: 'message', text: 'other' });
    box = enqueueMeshText(box, { kind: 'alert', text: 'same' });
    expect(box.queue).toEqual([
      { kind: 'alert', text: 'same' },
      { kind: 'message', text: 'other' },
    ]);
  });

  it('cuts long texts to 200 bytes on a character boundary', () => {
    const long = 'é'.repeat(150);
    const cut = fitBytes(long, MESH_TEXT_MAX_BYTES);
    expect(bytes(cut)).toBeLessThanOrEqual(200);
    expect(cut.endsWith('…')).toBe(true);
    expect(fitBytes('short', 200)).toBe('short');
    const queued = enqueueMeshText(EMPTY_OUTBOX, { kind: 'message', text: 'x'.repeat(500) });
    expect(bytes(queued.queue[0]?.text ?? '')).toBe(200);
  });

  it('words an exercise alert with the EXERCISE prefix and a real one as real', () => {
    const words = { type: 'sos' as const, sender: 'SCOTT', subject: null, count: null, text: 'fell' };
    expect(meshAlertText({ ...words, mode: 'exercise' })).toMatch(/^EXERCISE .*SOS from SCOTT: fell$/);
    const real = meshAlertText({ ...words, mode: 'real' });
    expect(real).not.toContain('EXERCISE');
    expect(real).toMatch(/^REAL .*SOS from SCOTT: fell$/);
    expect(meshMessageText({ mode: 'exercise', senderCallsign: 'K9', text: 'hi' })).toBe('EXERCISE K9: hi');
    expect(meshMessageText({ mode: 'real', senderCallsign: 'K9', text: 'hi' })).toBe('K9: hi');
  });
});

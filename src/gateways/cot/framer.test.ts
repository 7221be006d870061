import { describe, expect, it } from 'vitest';
import { CotFramer, type Frame } from './framer.ts';

const ev = (uid: string, body = '') => `<event uid="${uid}" type="a-f-G">${body}</event>`;
const decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const events = (frames: Frame[]) => frames.flatMap((f) => (f.kind === 'event' ? [f.xml] : []));
const drops = (frames: Frame[]) => frames.flatMap((f) => (f.kind === 'dropped' ? [f.reason] : []));

describe('CotFramer', () => {
  it('splits events sent back to back, each after an XML declaration', () => {
    const f = new CotFramer();
    const frames = f.push(Buffer.from(`${decl}${ev('a')}${decl}${ev('b')}\n${ev('c')}`));
    expect(events(frames)).toEqual([ev('a'), ev('b'), ev('c')]);
    expect(drops(frames)).toEqual([]);
    expect(f.pendingBytes).toBe(0);
  });

  it('joins an event split across chunks, even inside a multi-byte character and inside </event>', () => {
    const xml = ev('é', '<remarks>Grüße ✓</remarks>');
    const bytes = Buffer.from(decl + xml);
    const f = new CotFramer();
    const out: Frame[] = [];
    for (let i = 0; i < bytes.length; i += 3) out.push(...f.push(bytes.subarray(i, i + 3)));
    expect(events(out)).toEqual([xml]);
  });

  it('does not take <events> or <eventType> for an event', () => {
    const f = new CotFramer();
    expect(events(f.push(Buffer.from(`<events>${ev('a')}`)))).toEqual([ev('a')]);
  });

  it('keeps the whole event that follows a truncated one', () => {
    const f = new CotFramer();
    const frames = f.push(
      Buffer.from(`${decl}<event uid="cut" type="a-f-G"><point lat="1"${decl}${ev('ok')}`),
    );
    expect(events(frames)).toEqual([ev('ok')]);
    expect(drops(frames)).toEqual(['truncated']);
  });

  it('drops an oversized event, holds no more than the limit, and resynchronises after it', () => {
    const f = new CotFramer(1024);
    const out: Frame[] = [...f.push(Buffer.from(`${ev('before')}<event uid="huge">`))];
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let most = 0;
    for (let i = 0; i < 160; i++) {
      out.push(...f.push(chunk)); // 10 MiB in all
      most = Math.max(most, f.pendingBytes);
    }
    out.push(...f.push(Buffer.from(`</event>${ev('after')}`)));
    expect(most).toBeLessThan(16);
    expect(events(out)).toEqual([ev('before'), ev('after')]);
    expect(out.filter((x) => x.kind === 'dropped')).toEqual([
      { kind: 'dropped', reason: 'too_large', bytes: expect.any(Number) },
    ]);
  });

  it('drops an oversized event that arrives whole in one chunk', () => {
    const f = new CotFramer(100);
    const frames = f.push(Buffer.from(ev('big', 'y'.repeat(200)) + ev('small')));
    expect(events(frames)).toEqual([ev('small')]);
    expect(drops(frames)).toEqual(['too_large']);
  });

  it('drops junk that never starts an event once it passes the limit', () => {
    const f = new CotFramer(100);
    expect(drops(f.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')))).toEqual([]);
    expect(drops(f.push(Buffer.alloc(200, 0xbf)))).toEqual(['junk']);
    expect(f.pendingBytes).toBeLessThan(10);
    expect(events(f.push(Buffer.from(ev('x'))))).toEqual([ev('x')]);
  });

  it('reports junk found before an event', () => {
    const f = new CotFramer();
    const frames = f.push(Buffer.from(`hello${ev('x')}`));
    expect(drops(frames)).toEqual(['junk']);
    expect(events(frames)).toEqual([ev('x')]);
  });
});

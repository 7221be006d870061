import type { Message } from '../../../src/contract/messages.ts';
import { messageText } from './messages.ts';
import { shortTime } from './time.ts';

const SOURCES: Record<Message['source'], string> = {
  console: 'console',
  field: 'field',
  tak: 'TAK',
  system: 'Howl',
  meshtastic: 'mesh',
  inreach: 'inReach',
};

/** One message: exercise ones blue and striped with the EXERCISE prefix, real ones red-edged and marked REAL. */
export function MessageItem({ message: m }: { message: Message }) {
  const time = shortTime(m.time);
  return (
    <li className={`message message-${m.mode}`} data-testid="message-row" data-mode={m.mode}>
      <div className="message-head">
        <span className={`message-mode message-mode-${m.mode}`}>
          {m.mode === 'real' ? 'REAL' : 'EXERCISE'}
        </span>
        <strong className="message-sender">{m.senderCallsign}</strong>
        <span className="message-meta">
          {time} · {SOURCES[m.source]}
        </span>
      </div>
      <p className="message-text">{messageText(m)}</p>
    </li>
  );
}

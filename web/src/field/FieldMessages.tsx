import type { Message } from '../../../src/contract/messages.ts';
import { teamMode } from '../../../src/domain/mode.ts';
import { MessageComposer } from '../shared/MessageComposer.tsx';
import { MessageItem } from '../shared/MessageItem.tsx';
import type { TeamState } from '../shared/team-state.ts';
import '../shared/messages.css';
import { useFieldOutbox } from './outbox.ts';

/** How many messages the phone shows. */
const SHOWN = 20;

interface Props {
  state: TeamState;
  onMessage: (message: Message) => void;
}

/** The team's recent messages and a send box on the field page. */
export function FieldMessages({ state, onMessage }: Props) {
  const outbox = useFieldOutbox();
  const send = async (text: string) => {
    // Without signal the message waits in the outbox (the page lists it) and goes out once, later.
    const m = await outbox.send<Message>('message', '/api/messages', { text }, 'Message');
    if (m) onMessage(m);
    return m ?? 'kept';
  };
  return (
    <section className="card messages field-messages" data-testid="field-messages">
      <h2>Team messages</h2>
      {state.messages.length === 0 ? (
        <p className="messages-empty">No messages yet.</p>
      ) : (
        <ul className="message-list">
          {state.messages.slice(0, SHOWN).map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ul>
      )}
      <MessageComposer mode={teamMode(state.operation)} send={send} />
    </section>
  );
}

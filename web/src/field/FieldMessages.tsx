import { MessageComposer } from '../shared/MessageComposer.tsx';
import { MessageItem } from '../shared/MessageItem.tsx';
import { useMessages } from '../shared/use-messages.ts';
import '../shared/messages.css';

/** How many messages the phone shows. */
const SHOWN = 20;

/** The team's recent messages and a send box, under the field page. Gone once the link is revoked. */
export function FieldMessages({ token }: { token: string }) {
  const { messages, status, loadError, mode, send } = useMessages({ token });
  if (status === 'revoked') return null;
  return (
    <section className="field field-messages" data-testid="field-messages">
      <div className="card messages">
        <h2>Team messages</h2>
        {loadError && <p className="error">{loadError}</p>}
        {messages.length === 0 ? (
          <p className="messages-empty">No messages yet.</p>
        ) : (
          <ul className="message-list">
            {messages.slice(0, SHOWN).map((m) => (
              <MessageItem key={m.id} message={m} />
            ))}
          </ul>
        )}
        <MessageComposer mode={mode} send={send} />
      </div>
    </section>
  );
}

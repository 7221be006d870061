import { teamMode } from '../../../src/domain/mode.ts';
import { MessageComposer } from '../shared/MessageComposer.tsx';
import { MessageItem } from '../shared/MessageItem.tsx';
import type { TeamState } from '../shared/team-state.ts';
import { useMessages } from '../shared/use-messages.ts';
import '../shared/messages.css';

/** The team's messages (newest first) and the send box; TAK clients get them as GeoChat. */
export function MessagesTab({ state }: { state: TeamState }) {
  const { messages, loadError, send } = useMessages();
  const mode = teamMode(state.operation);
  return (
    <div className="messages" data-testid="messages-tab">
      <MessageComposer mode={mode} send={send} />
      {loadError && <p className="error">{loadError}</p>}
      {messages.length === 0 ? (
        <p className="messages-empty">
          No messages yet. What you send here reaches every member and TAK client.
        </p>
      ) : (
        <ul className="message-list">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ul>
      )}
    </div>
  );
}

import type { Message } from '../../../src/contract/messages.ts';
import { teamMode } from '../../../src/domain/mode.ts';
import { MessageComposer } from '../shared/MessageComposer.tsx';
import { MessageItem } from '../shared/MessageItem.tsx';
import { postMessage } from '../shared/messages.ts';
import type { TeamState } from '../shared/team-state.ts';
import '../shared/messages.css';

interface Props {
  state: TeamState;
  /** A sent message shows at once; the live event that follows agrees with it. */
  onMessage: (message: Message) => void;
}

/** The team's messages (newest first) and the send box; TAK clients get them as GeoChat. */
export function MessagesTab({ state, onMessage }: Props) {
  const send = async (text: string) => {
    const m = await postMessage(text);
    onMessage(m);
    return m;
  };
  return (
    <div className="messages panel-section" data-testid="messages-tab">
      <MessageComposer mode={teamMode(state.operation)} send={send} />
      {state.messages.length === 0 ? (
        <p className="messages-empty">
          No messages yet. What you send here reaches every member and TAK client.
        </p>
      ) : (
        <ul className="message-list">
          {state.messages.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ul>
      )}
    </div>
  );
}

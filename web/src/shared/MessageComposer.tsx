import { type FormEvent, useState } from 'react';
import type { Mode } from '../../../src/contract/common.ts';
import { MESSAGE_MAX_CHARS } from '../../../src/contract/messages.ts';
import { useAction } from './use-action.ts';

interface Props {
  /** The team's mode now: what the message will be sent as. */
  mode: Mode;
  send: (text: string) => Promise<unknown>;
}

/** The send box: says which mode a message goes out in, and keeps the text when sending fails. */
export function MessageComposer({ mode, send }: Props) {
  const [text, setText] = useState('');
  const action = useAction();
  const trimmed = text.trim();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!trimmed) return;
    const sent = await action.run(() => send(trimmed));
    if (sent !== undefined) setText('');
  };
  return (
    <form className={`message-form message-form-${mode}`} onSubmit={submit}>
      <textarea
        name="message"
        data-testid="message-input"
        aria-label="Message to the team"
        rows={2}
        maxLength={MESSAGE_MAX_CHARS}
        placeholder={mode === 'exercise' ? 'Message to the team — sent as EXERCISE' : 'Message to the team'}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) void submit(e);
        }}
      />
      <button type="submit" data-testid="message-send" disabled={action.busy || !trimmed}>
        {mode === 'exercise' ? 'Send (exercise)' : 'Send'}
      </button>
      {action.error && (
        <p className="error" role="alert">
          {action.error}
        </p>
      )}
    </form>
  );
}

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Webhook } from '../../../src/contract/webhooks.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../src/domain/webhooks.ts';
import { api } from '../shared/api.ts';
import { confirmAction, Dialog } from '../shared/Dialog.tsx';
import { dateTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import { Copyable } from './ConnectDialog.tsx';

const EVENT_WORD: Record<WebhookEvent, string> = {
  real_alert: 'Real alerts',
  exercise_alert: 'Exercise alerts',
  callout: 'Callouts',
  rollcall: 'Roll calls',
};

/** The team's webhooks (SMS gateway, pager, chat): add one, see its latest deliveries, remove it. */
export function WebhooksDialog({ onClose }: { onClose: () => void }) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<ReadonlySet<WebhookEvent>>(new Set(['real_alert', 'callout']));
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const load = useCallback(
    () =>
      api<{ webhooks: Webhook[] }>('/api/webhooks')
        .then((r) => setHooks(r.webhooks))
        .catch(() => setHooks([])),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const add = async (ev: FormEvent) => {
    ev.preventDefault();
    const made = await run(() =>
      api<Webhook & { secret: string }>('/api/webhooks', {
        method: 'POST',
        body: { url: url.trim(), events: [...events] },
      }),
    );
    if (made) {
      setSecret(made.secret);
      setUrl('');
      await load();
    }
  };
  const remove = async (w: Webhook) => {
    if (!(await confirmAction(`Remove the webhook to ${w.url}?`, 'Remove'))) return;
    if (await run(() => api(`/api/webhooks/${w.id}`, { method: 'DELETE' }).then(() => true))) await load();
  };

  return (
    <Dialog title="Webhooks" onClose={onClose}>
      <p className="muted">
        Howl POSTs each event as signed JSON to these addresses: an SMS gateway phone, a pager service, a
        chat. See docs/webhooks.md for the body, the signature and recipes.
      </p>
      {secret && <Copyable label="Signing secret (shown once)" value={secret} />}
      <ul className="webhook-list" data-testid="webhooks">
        {hooks?.length === 0 && <li className="muted">No webhooks yet.</li>}
        {hooks?.map((w) => {
          const last = w.recent[0];
          return (
            <li key={w.id} data-testid="webhook">
              <strong>{w.url}</strong>
              <br />
              <span className="muted">{w.events.map((e) => EVENT_WORD[e]).join(', ')}</span>
              <br />
              <span className={last?.state === 'failed' || last?.lastError ? 'form-error' : 'muted'}>
                {last
                  ? `Last: ${EVENT_WORD[last.event]} ${dateTime(last.createdAt)} · ${last.state}${last.lastError ? ` (${last.lastError}, ${last.attempts} tries)` : ''}`
                  : 'Nothing sent yet.'}
              </span>{' '}
              <button type="button" className="small ghost" onClick={() => void remove(w)}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <form className="form" onSubmit={add}>
        <label>
          Address
          <input
            name="webhook-url"
            type="url"
            required
            placeholder="http://192.168.1.40:8080/message"
            value={url}
            onChange={(ev) => setUrl(ev.target.value)}
          />
        </label>
        <fieldset className="planner-group">
          <legend>Send</legend>
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="check-row">
              <input
                type="checkbox"
                name={`event-${e}`}
                checked={events.has(e)}
                onChange={(ev) => {
                  const next = new Set(events);
                  if (ev.target.checked) next.add(e);
                  else next.delete(e);
                  setEvents(next);
                }}
              />
              {EVENT_WORD[e]}
            </label>
          ))}
        </fieldset>
        {error && <p className="form-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy || events.size === 0}>
            Add webhook
          </button>
        </div>
      </form>
    </Dialog>
  );
}

import { useState } from 'react';
import type { Contact } from '../../../src/contract/incidents.ts';
import type { Member } from '../../../src/contract/members.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { callsignOf } from '../shared/alert-view.ts';
import { api } from '../shared/api.ts';
import { describeFrom } from '../shared/relative.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import type { Reference } from './member-view.ts';

interface Props {
  contacts: readonly Contact[];
  members: readonly Member[];
  reference: Reference | null;
  nowMs: number;
}

/** Hostile contacts as reported, newest first; counts and withdrawals can be updated as reports come in. */
export function ContactsList({ contacts, members, reference, nowMs }: Props) {
  const sorted = [...contacts].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <section className="panel-section">
      <h3>Hostile contacts</h3>
      {sorted.length === 0 && <p className="muted">No contacts reported.</p>}
      <ul className="contact-list">
        {sorted.map((c) => (
          <ContactRow
            key={c.id}
            contact={c}
            reporter={callsignOf(members, c.reportedBy)}
            reference={reference}
            nowMs={nowMs}
          />
        ))}
      </ul>
    </section>
  );
}

function ContactRow({
  contact: c,
  reporter,
  reference,
  nowMs,
}: {
  contact: Contact;
  reporter: string;
  reference: Reference | null;
  nowMs: number;
}) {
  const [count, setCount] = useState(String(c.count));
  const [withdrawn, setWithdrawn] = useState(String(c.withdrawn));
  const { busy, error, run } = useAction();
  const changed = count !== String(c.count) || withdrawn !== String(c.withdrawn);
  const save = () =>
    run(() =>
      api<Contact>(`/api/contacts/${c.id}`, {
        method: 'PATCH',
        body: { count: Number(count), withdrawn: Number(withdrawn) },
      }),
    );
  const rel = c.position && reference ? describeFrom(reference.point, c.position) : null;
  return (
    <li className="contact-item" data-testid="contact-item">
      <div className="contact-item-head">
        <span className="contact-chip">{c.count - c.withdrawn}</span>
        <strong>
          {c.count} seen{c.withdrawn > 0 ? ` · ${c.withdrawn} withdrawn` : ''}
        </strong>
        <span className="muted">
          {clockTime(c.updatedAt)} ({formatAge(Date.parse(c.updatedAt), nowMs)} ago)
        </span>
      </div>
      <div className="muted">
        {[c.direction, rel ? `${rel.text} from ${reference?.label}` : null, `by ${reporter}`]
          .filter(Boolean)
          .join(' · ')}
      </div>
      {c.text && <div>{c.text}</div>}
      <div className="contact-edit">
        <label>
          seen
          <input type="number" min={0} value={count} onChange={(ev) => setCount(ev.target.value)} />
        </label>
        <label>
          withdrawn
          <input type="number" min={0} value={withdrawn} onChange={(ev) => setWithdrawn(ev.target.value)} />
        </label>
        <button type="button" className="small" disabled={busy || !changed} onClick={() => void save()}>
          Update
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
    </li>
  );
}

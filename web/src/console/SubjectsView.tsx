import { type FormEvent, useState } from 'react';
import type { Subject, SubjectBody, SubjectStatus } from '../../../src/contract/incidents.ts';
import { parseCoordinates } from '../../../src/domain/coordinates.ts';
import { whereFrom } from '../shared/alert-view.ts';
import { api } from '../shared/api.ts';
import { SUBJECT_STATUS_WORD, SUBJECT_STATUSES } from '../shared/subject-view.ts';
import { shortTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import type { Reference } from './member-view.ts';

interface Props {
  subjects: readonly Subject[];
  reference: Reference | null;
}

/** Who is being searched for: each subject's description, last known position and status, and a form to add one. */
export function SubjectsView({ subjects, reference }: Props) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [where, setWhere] = useState('');
  const { busy, error, run } = useAction();
  const typed = where.trim() ? parseCoordinates(where) : null;

  const add = async (ev: FormEvent) => {
    ev.preventDefault();
    if (typed && !typed.ok) return;
    const body: SubjectBody = {
      name: name.trim(),
      description: description.trim(),
      ...(typed?.ok
        ? { lastKnown: { lat: typed.lat, lon: typed.lon }, lastSeenAt: new Date().toISOString() }
        : {}),
    };
    if (await run(() => api<Subject>('/api/subjects', { method: 'POST', body }))) {
      setName('');
      setDescription('');
      setWhere('');
    }
  };
  const setStatus = (s: Subject, status: SubjectStatus) =>
    run(() => api<Subject>(`/api/subjects/${s.id}`, { method: 'PATCH', body: { status } }));

  return (
    <section className="panel-section" data-testid="subjects">
      <h3>Subject of the search</h3>
      {subjects.length === 0 && <p className="muted">No subject recorded.</p>}
      <ul className="subject-list">
        {subjects.map((s) => {
          const from = whereFrom(reference?.point ?? null, s.lastKnown);
          return (
            <li key={s.id} className={`subject subject-${s.status}`} data-testid="subject">
              <p>
                <strong>{s.name}</strong>{' '}
                <select
                  aria-label={`Status of ${s.name}`}
                  value={s.status}
                  disabled={busy}
                  onChange={(ev) => void setStatus(s, ev.target.value as SubjectStatus)}
                >
                  {SUBJECT_STATUSES.map((st) => (
                    <option key={st} value={st}>
                      {SUBJECT_STATUS_WORD[st]}
                    </option>
                  ))}
                </select>
              </p>
              {s.description && <p className="muted">{s.description}</p>}
              <p className="muted">
                {s.lastKnown
                  ? `Last known ${s.lastKnown.lat.toFixed(5)}, ${s.lastKnown.lon.toFixed(5)}${from ? ` · ${from} from ${reference?.label}` : ''}${s.lastSeenAt ? ` · seen ${shortTime(s.lastSeenAt)}` : ''}`
                  : 'No last known position.'}
              </p>
            </li>
          );
        })}
      </ul>
      <form className="form subject-add" onSubmit={add}>
        <input
          aria-label="Subject's name"
          name="subject-name"
          placeholder="name, age (e.g. Walker, 67)"
          required
          maxLength={120}
          value={name}
          onChange={(ev) => setName(ev.target.value)}
        />
        <input
          aria-label="Description"
          name="subject-description"
          placeholder="clothing, health, habits"
          maxLength={5000}
          value={description}
          onChange={(ev) => setDescription(ev.target.value)}
        />
        <input
          aria-label="Last known position"
          name="subject-where"
          placeholder="last known position: 51.05, -1.31 or MGRS"
          value={where}
          aria-invalid={typed?.ok === false}
          onChange={(ev) => setWhere(ev.target.value)}
        />
        {typed && !typed.ok && <p className="form-error">{typed.reason}</p>}
        <button type="submit" disabled={busy || !name.trim()}>
          Add subject
        </button>
      </form>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}

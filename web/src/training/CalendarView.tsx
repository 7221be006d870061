import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type {
  AttendanceStatus,
  Skill,
  SkillList,
  TrainingSession,
  TrainingSessionList,
} from '../../../src/contract/training.ts';
import { api, errorMessage } from '../shared/api.ts';
import { confirmAction, Dialog, FormActions } from '../shared/Dialog.tsx';
import { shortTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import type { TrainingProps } from './TrainingArea.tsx';
import './calendar.css';

const STATUSES: AttendanceStatus[] = ['present', 'absent', 'excused'];
const monthName = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const when = (s: TrainingSession) => {
  const start = new Date(s.startsAt);
  const end = new Date(s.endsAt);
  const day = start.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  const t = (d: Date) => shortTime(d);
  return `${day} ${t(start)}–${t(end)}`;
};
const hours = (s: TrainingSession) => (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 3_600_000;

/** Groups sessions by the month they start in, keeping their order. */
function byMonth(sessions: readonly TrainingSession[]): Array<[string, TrainingSession[]]> {
  const out = new Map<string, TrainingSession[]>();
  for (const s of sessions) {
    const key = monthName(s.startsAt);
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return [...out];
}

/** `#/calendar`: training sessions, upcoming and past, by month; attendance taken at the session. */
export function CalendarView({ me, state }: TrainingProps) {
  const leader = me.role === 'leader';
  const [sessions, setSessions] = useState<TrainingSession[] | null>(null);
  const [skills, setSkills] = useState<Skill[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, catalogue] = await Promise.all([
        api<TrainingSessionList>('/api/training-sessions'),
        api<SkillList>('/api/skills'),
      ]);
      setSessions(list.sessions);
      setSkills(catalogue.skills);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the training revision is the reload trigger
  useEffect(() => {
    load();
  }, [load, state.revisions.training]);
  const replace = (s: TrainingSession) =>
    setSessions((all) => (all ?? []).map((x) => (x.id === s.id ? s : x)));

  if (!sessions) return error ? <p className="form-error">{error}</p> : <p className="muted">Loading…</p>;
  const now = Date.now();
  const upcoming = sessions.filter((s) => Date.parse(s.endsAt) >= now);
  const past = sessions.filter((s) => Date.parse(s.endsAt) < now).reverse();
  const open = sessions.find((s) => s.id === openId) ?? null;
  const skillName = (id: string) => skills.find((s) => s.id === id)?.name ?? '';

  const group = (title: string, list: TrainingSession[], testid: string) => (
    <section className="calendar-group" data-testid={testid}>
      <h2>{title}</h2>
      {list.length === 0 && <p className="muted">None.</p>}
      {byMonth(list).map(([month, items]) => (
        <div key={month} className="calendar-month">
          <h3>{month}</h3>
          <ul className="session-list">
            {items.map((s) => {
              const present = s.attendance.filter((a) => a.status === 'present').length;
              return (
                <li key={s.id}>
                  <button
                    type="button"
                    className={`session-row${s.cancelled ? ' cancelled' : ''}${s.id === openId ? ' open' : ''}`}
                    data-testid="session-row"
                    data-title={s.title}
                    onClick={() => setOpenId(s.id === openId ? null : s.id)}
                  >
                    <span className="session-when">{when(s)}</span>
                    <span className="session-title">
                      {s.title}
                      {s.cancelled && <span className="tag cancelled-tag">cancelled</span>}
                    </span>
                    <span className="session-place">{s.place}</span>
                    <span className="session-skills">
                      {s.skillIds.map(skillName).filter(Boolean).join(', ')}
                    </span>
                    <span className="session-count">
                      {s.attendance.length > 0 ? `${present} present` : ''}
                    </span>
                  </button>
                  {s.id === openId && open && (
                    <SessionDetail
                      session={open}
                      members={state.members}
                      leader={leader}
                      onChanged={replace}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );

  return (
    <section className="calendar" data-testid="calendar">
      <header className="records-head">
        <h1>Calendar</h1>
        <span className="spacer" />
        {leader && (
          <button
            type="button"
            className="primary"
            onClick={() => setCreating(true)}
            data-testid="new-session"
          >
            New session
          </button>
        )}
      </header>
      {error && <p className="form-error">{error}</p>}
      {group('Upcoming', upcoming, 'sessions-upcoming')}
      {group('Past', past, 'sessions-past')}
      {creating && (
        <SessionForm
          skills={skills}
          onClose={() => setCreating(false)}
          onCreated={(s) => {
            setCreating(false);
            setSessions((all) => [...(all ?? []), s].sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
            setOpenId(s.id);
          }}
        />
      )}
    </section>
  );
}

function SessionDetail(props: {
  session: TrainingSession;
  members: readonly Member[];
  leader: boolean;
  onChanged: (s: TrainingSession) => void;
}) {
  const { session, members, leader, onChanged } = props;
  const { busy, error, run } = useAction();
  const statusOf = new Map(session.attendance.map((a) => [a.memberId, a.status]));
  const mark = async (memberId: string, status: AttendanceStatus) => {
    const s = await run(() =>
      api<TrainingSession>(`/api/training-sessions/${session.id}/attendance`, {
        method: 'PUT',
        body: { entries: [{ memberId, status }] },
      }),
    );
    if (s) onChanged(s);
  };
  const setCancelled = async (cancelled: boolean) => {
    if (cancelled && !(await confirmAction(`Cancel “${session.title}”?`))) return;
    const s = await run(() =>
      api<TrainingSession>(`/api/training-sessions/${session.id}`, { method: 'PATCH', body: { cancelled } }),
    );
    if (s) onChanged(s);
  };
  return (
    <div className="session-detail" data-testid="session-detail">
      {session.notes && <p className="session-notes">{session.notes}</p>}
      <p className="muted">
        {hours(session).toFixed(1)} h · {session.place || 'no place given'}
      </p>
      {session.cancelled ? (
        <p className="muted">This session is cancelled: no attendance is taken.</p>
      ) : (
        <table className="records-table attendance-table">
          <tbody>
            {members.map((m) => {
              const current = statusOf.get(m.id);
              return (
                <tr key={m.id} data-testid={`attendance-${m.callsign}`} data-status={current ?? 'none'}>
                  <th scope="row">
                    {m.callsign}
                    {m.kind === 'animal' && <span className="k9-tag">K9</span>}
                  </th>
                  <td className="attendance-buttons">
                    {STATUSES.map((st) => (
                      <button
                        key={st}
                        type="button"
                        className={`small att-${st}${current === st ? ' chosen' : ''}`}
                        aria-pressed={current === st}
                        disabled={!leader || busy}
                        onClick={() => mark(m.id, st)}
                      >
                        {st}
                      </button>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {error && <p className="form-error">{error}</p>}
      {leader && (
        <div className="inline-actions">
          {session.cancelled ? (
            <button type="button" className="small" onClick={() => setCancelled(false)}>
              Reinstate session
            </button>
          ) : (
            // A session that has begun happened (or not): its attendance says so; only a future one is cancelled.
            Date.parse(session.startsAt) > Date.now() && (
              <button type="button" className="small danger" onClick={() => setCancelled(true)}>
                Cancel session
              </button>
            )
          )}
        </div>
      )}
    </div>
  );
}

/** `datetime-local` value of an instant, in the browser's time zone. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function SessionForm(props: {
  skills: readonly Skill[];
  onClose: () => void;
  onCreated: (s: TrainingSession) => void;
}) {
  const start = new Date();
  start.setDate(start.getDate() + 7);
  start.setHours(18, 0, 0, 0);
  const [title, setTitle] = useState('');
  const [place, setPlace] = useState('');
  const [startsAt, setStartsAt] = useState(localInput(start.getTime()));
  const [endsAt, setEndsAt] = useState(localInput(start.getTime() + 2 * 3_600_000));
  const [skillIds, setSkillIds] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const { busy, error, setError, run } = useAction();

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const s = Date.parse(startsAt);
    const e = Date.parse(endsAt);
    if (!(e > s)) {
      setError('The end must be after the start.');
      return;
    }
    const body = {
      title: title.trim(),
      place: place.trim(),
      startsAt: new Date(s).toISOString(),
      endsAt: new Date(e).toISOString(),
      skillIds,
      notes: notes.trim(),
    };
    const created = await run(() => api<TrainingSession>('/api/training-sessions', { method: 'POST', body }));
    if (created) props.onCreated(created);
  };

  return (
    <Dialog title="New training session" onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <label>
          Title
          <input
            name="title"
            required
            maxLength={120}
            value={title}
            onChange={(ev) => setTitle(ev.target.value)}
          />
        </label>
        <label>
          Place
          <input name="place" maxLength={200} value={place} onChange={(ev) => setPlace(ev.target.value)} />
        </label>
        <label>
          Starts
          <input
            type="datetime-local"
            name="starts-at"
            required
            value={startsAt}
            onChange={(ev) => setStartsAt(ev.target.value)}
          />
        </label>
        <label>
          Ends
          <input
            type="datetime-local"
            name="ends-at"
            required
            value={endsAt}
            onChange={(ev) => setEndsAt(ev.target.value)}
          />
        </label>
        {props.skills.length > 0 && (
          <fieldset className="skill-picks">
            <legend>Skills practised</legend>
            {props.skills.map((s) => (
              <label key={s.id} className="check">
                <input
                  type="checkbox"
                  checked={skillIds.includes(s.id)}
                  onChange={(ev) =>
                    setSkillIds((ids) => (ev.target.checked ? [...ids, s.id] : ids.filter((x) => x !== s.id)))
                  }
                />{' '}
                {s.name}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          Notes
          <textarea
            name="notes"
            maxLength={5000}
            rows={3}
            value={notes}
            onChange={(ev) => setNotes(ev.target.value)}
          />
        </label>
        <FormActions
          error={error}
          busy={busy}
          label="Create session"
          busyLabel="Creating…"
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}

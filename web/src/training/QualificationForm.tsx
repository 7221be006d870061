import { type FormEvent, useState } from 'react';
import type { Qualification, Skill } from '../../../src/contract/training.ts';
import { addMonthsMs, isoDate } from '../../../src/domain/readiness.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';

interface Props {
  memberId: string;
  skills: readonly Skill[];
  onSigned: (q: Qualification) => void;
}

/** An instructor's sign-off: skill, date, expiry (default: the skill's validity) and a note. */
export function QualificationForm({ memberId, skills, onSigned }: Props) {
  const today = isoDate(Date.now());
  const [skillId, setSkillId] = useState('');
  const [signedAt, setSignedAt] = useState(today);
  const [expiresAt, setExpiresAt] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const skill = skills.find((s) => s.id === skillId);
  const defaultExpiry =
    skill?.validityMonths && signedAt
      ? isoDate(addMonthsMs(Date.parse(signedAt), skill.validityMonths))
      : null;

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = { skillId, signedAt, note: note.trim(), ...(expiresAt && { expiresAt }) };
    const q = await run(() =>
      api<Qualification>(`/api/members/${memberId}/qualifications`, { method: 'POST', body }),
    );
    if (q) {
      setSkillId('');
      setExpiresAt('');
      setNote('');
      onSigned(q);
    }
  };

  if (skills.length === 0)
    return <p className="muted">Add skills to the catalogue first (Records → Skills).</p>;
  return (
    <form className="qual-form" onSubmit={submit} data-testid="qualification-form">
      <label>
        Skill
        <select name="skill" required value={skillId} onChange={(ev) => setSkillId(ev.target.value)}>
          <option value="">Choose…</option>
          {skills.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.required ? ' (required)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Signed off on
        <input
          type="date"
          name="signed-at"
          required
          max={today}
          value={signedAt}
          onChange={(ev) => setSignedAt(ev.target.value)}
        />
      </label>
      <label>
        <span>
          Expires on{' '}
          <span className="hint">
            {expiresAt ? '' : defaultExpiry ? `default ${defaultExpiry}` : skill ? 'default: no expiry' : ''}
          </span>
        </span>
        <input
          type="date"
          name="expires-at"
          value={expiresAt}
          min={signedAt}
          onChange={(ev) => setExpiresAt(ev.target.value)}
        />
      </label>
      <label className="grow">
        Note
        <input name="note" maxLength={2000} value={note} onChange={(ev) => setNote(ev.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || !skillId}>
        {busy ? 'Signing…' : 'Sign off'}
      </button>
      {error && <p className="form-error">{error}</p>}
    </form>
  );
}

import { type FormEvent, useState } from 'react';
import type { Casualty, Subject, Triage } from '../../../src/contract/incidents.ts';
import type { Member } from '../../../src/contract/members.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { CasualtyCard, TRIAGE_WORD } from './CasualtyCard.tsx';

interface Props {
  casualties: readonly Casualty[];
  members: readonly Member[];
  /** The subjects of the search: a casualty may be one of them. */
  subjects: readonly Subject[];
}

const ORDER: Record<Triage, number> = { red: 0, yellow: 1, green: 2 };

/** Casualty records, most urgent first, and a form to add one. */
export function CasualtiesView({ casualties, members, subjects }: Props) {
  /** "m:<id>" for a member, "s:<id>" for a subject. */
  const [who, setWho] = useState('');
  const [triage, setTriage] = useState<Triage>('yellow');
  const [injuries, setInjuries] = useState('');
  const { busy, error, run } = useAction();
  const sorted = [...casualties].sort(
    (a, b) =>
      Number(a.recoveredAt !== null) - Number(b.recoveredAt !== null) || ORDER[a.triage] - ORDER[b.triage],
  );

  const add = async (ev: FormEvent) => {
    ev.preventDefault();
    const id = who.slice(2);
    const body = {
      ...(who.startsWith('s:') ? { subjectId: id } : { memberId: id }),
      triage,
      injuries: injuries.trim(),
    };
    if (await run(() => api<Casualty>('/api/casualties', { method: 'POST', body }))) {
      setWho('');
      setInjuries('');
    }
  };

  return (
    <section className="panel-section">
      <h3>Casualties</h3>
      {sorted.length === 0 && <p className="muted">No casualties recorded.</p>}
      <ul className="casualty-list">
        {sorted.map((c) => (
          <CasualtyCard
            key={c.id}
            casualty={c}
            callsign={
              c.memberId
                ? (members.find((m) => m.id === c.memberId)?.callsign ?? '?')
                : (c.subjectName ?? 'subject')
            }
          />
        ))}
      </ul>
      <form className="casualty-add" onSubmit={add}>
        <select aria-label="Casualty" required value={who} onChange={(ev) => setWho(ev.target.value)}>
          <option value="">Who…</option>
          {members.map((m) => (
            <option key={m.id} value={`m:${m.id}`}>
              {m.callsign}
            </option>
          ))}
          {subjects.map((s) => (
            <option key={s.id} value={`s:${s.id}`}>
              {s.name} (subject)
            </option>
          ))}
        </select>
        <select aria-label="Triage" value={triage} onChange={(ev) => setTriage(ev.target.value as Triage)}>
          {(['red', 'yellow', 'green'] as const).map((t) => (
            <option key={t} value={t}>
              {TRIAGE_WORD[t]}
            </option>
          ))}
        </select>
        <input
          aria-label="Injuries"
          placeholder="injuries"
          value={injuries}
          maxLength={2000}
          onChange={(ev) => setInjuries(ev.target.value)}
        />
        <button type="submit" disabled={busy || !who}>
          Add casualty
        </button>
      </form>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}

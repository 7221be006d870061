import { type FormEvent, useState } from 'react';
import type { Casualty, Triage } from '../../../src/contract/incidents.ts';
import type { Member } from '../../../src/contract/members.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { CasualtyCard, TRIAGE_WORD } from './CasualtyCard.tsx';

interface Props {
  casualties: readonly Casualty[];
  members: readonly Member[];
}

const ORDER: Record<Triage, number> = { red: 0, yellow: 1, green: 2 };

/** Casualty records, most urgent first, and a form to add one. */
export function CasualtiesView({ casualties, members }: Props) {
  const [memberId, setMemberId] = useState('');
  const [triage, setTriage] = useState<Triage>('yellow');
  const [injuries, setInjuries] = useState('');
  const { busy, error, run } = useAction();
  const sorted = [...casualties].sort(
    (a, b) =>
      Number(a.recoveredAt !== null) - Number(b.recoveredAt !== null) || ORDER[a.triage] - ORDER[b.triage],
  );

  const add = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = { memberId, triage, injuries: injuries.trim() };
    if (await run(() => api<Casualty>('/api/casualties', { method: 'POST', body }))) {
      setMemberId('');
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
            callsign={members.find((m) => m.id === c.memberId)?.callsign ?? '?'}
          />
        ))}
      </ul>
      <form className="casualty-add" onSubmit={add}>
        <select
          aria-label="Casualty"
          required
          value={memberId}
          onChange={(ev) => setMemberId(ev.target.value)}
        >
          <option value="">Member…</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.callsign}
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
        <button type="submit" disabled={busy || !memberId}>
          Add casualty
        </button>
      </form>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}

import type { Member } from '../../../src/contract/members.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import type { PresenceStatus } from '../../../src/domain/presence.ts';
import type { TeamState } from '../shared/team-state.ts';
import { type MemberActions, MemberRow } from './MemberRow.tsx';
import { drawColor, memberColors, memberStatuses, referencePoint } from './member-view.ts';

interface Props {
  me: Me;
  state: TeamState;
  nowMs: number;
  selected: string | null;
  onSelect: (memberId: string) => void;
  /** null: not a leader, no per-member menu. */
  actions: MemberActions | null;
}

const ORDER: Record<PresenceStatus | 'none', number> = { sos: 0, ok: 1, stale: 2, none: 3 };

export function MemberList({ me, state, nowMs, selected, onSelect, actions }: Props) {
  const statuses = memberStatuses(state, nowMs);
  const reference = referencePoint(state, me);
  const colors = memberColors(state.members);
  const rows = state.members.map((member: Member) => {
    const position = state.latest[member.id] ?? null;
    const { status = null, sos = null } = statuses.get(member.id) ?? {};
    return { member, position, status, sos };
  });
  rows.sort(
    (a, b) =>
      ORDER[a.status ?? 'none'] - ORDER[b.status ?? 'none'] ||
      a.member.callsign.localeCompare(b.member.callsign),
  );
  const count = (s: PresenceStatus) => rows.filter((r) => r.status === s).length;

  return (
    <aside className="side-panel">
      <div className="side-head">
        <h2>Members</h2>
        <span className="counts">
          {rows.length} · <span className="count-ok">{count('ok')} reporting</span>
          {count('stale') > 0 && <span className="count-stale"> · {count('stale')} stale</span>}
          {count('sos') > 0 && <span className="count-sos"> · {count('sos')} SOS</span>}
        </span>
      </div>
      {reference && (
        <p className="side-note">
          Distances from {reference.label === 'you' ? 'your position' : 'the base'}.
        </p>
      )}
      {!state.loaded && <p className="empty">Loading the team…</p>}
      {state.loaded && rows.length === 0 && (
        <p className="empty">No members yet.{actions ? ' Use “Add member” to add the first one.' : ''}</p>
      )}
      <ul className="member-list">
        {rows.map((row) => (
          <MemberRow
            key={row.member.id}
            {...row}
            isMe={row.member.id === me.memberId}
            nowMs={nowMs}
            color={drawColor(colors, row.member.id, row.status)}
            reference={reference}
            selected={row.member.id === selected}
            onSelect={onSelect}
            actions={actions}
          />
        ))}
      </ul>
    </aside>
  );
}

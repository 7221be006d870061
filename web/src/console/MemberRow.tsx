import { useEffect, useRef, useState } from 'react';
import type { Member, MemberList } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import type { PushStatusList } from '../../../src/contract/push.ts';
import type { Readiness } from '../../../src/contract/training.ts';
import { formatElevation } from '../../../src/domain/elevation.ts';
import { sosWord } from '../../../src/domain/mode.ts';
import { formatAge, type PresenceStatus } from '../../../src/domain/presence.ts';
import { monthOf } from '../../../src/domain/readiness.ts';
import type { Mode } from '../../../src/domain/vocabulary.ts';
import { api } from '../shared/api.ts';
import { describeFrom } from '../shared/relative.ts';
import type { ConnectTarget } from './ConnectDialog.tsx';
import type { Reference } from './member-view.ts';
import { useElevation } from './terrain-elevation.ts';

export interface MemberActions {
  connect: (member: ConnectTarget) => void;
  edit: (member: Member) => void;
  revoke: (member: Member) => void;
  remove: (member: Member) => void;
}

interface Props {
  member: Member;
  position: Position | null;
  status: PresenceStatus | null;
  /** The mode of the member's active SOS, if they have one out. */
  sos: Mode | null;
  isMe: boolean;
  nowMs: number;
  color: string;
  reference: Reference | null;
  selected: boolean;
  onSelect: (memberId: string) => void;
  actions: MemberActions | null;
}

/** What rows show beyond the live state: callsigns (for K9 handlers) and, for leaders, who is not field-ready. */
interface RowExtras {
  callsigns: ReadonlyMap<string, string>;
  notReady: ReadonlyMap<string, readonly string[]>;
  /** For a leader: whose phones take pushes, and how the last went. */
  push: ReadonlyMap<string, PushStatusList['members'][number]>;
}

const EXTRAS_TTL_MS = 60_000;
let extras: { leader: boolean; at: number; value: Promise<RowExtras> } | null = null;

/** Fetched once for all rows (and again after a minute): the member list, and readiness for a leader. */
function loadExtras(leader: boolean, nowMs: number): Promise<RowExtras> {
  if (extras && extras.leader === leader && nowMs - extras.at < EXTRAS_TTL_MS) return extras.value;
  const month = monthOf(nowMs);
  const value = Promise.all([
    api<MemberList>('/api/members'),
    leader ? api<Readiness>(`/api/readiness?from=${month}&to=${month}`).catch(() => null) : null,
    leader ? api<PushStatusList>('/api/push/status').catch(() => null) : null,
  ]).then(([list, readiness, push]) => ({
    push: new Map((push?.members ?? []).map((p) => [p.memberId, p])),
    callsigns: new Map(list.members.map((m) => [m.id, m.callsign])),
    notReady: new Map(
      (readiness?.members ?? []).filter((m) => !m.fieldReady).map((m) => [m.memberId, m.notReadyBecause]),
    ),
  }));
  extras = { leader, at: nowMs, value };
  value.catch(() => {
    extras = null;
  });
  return value;
}

function useRowExtras(leader: boolean, member: Member): RowExtras | null {
  const [value, setValue] = useState<RowExtras | null>(null);
  const wantsHandler = member.handlerId ?? null;
  useEffect(() => {
    if (!leader && !wantsHandler) return;
    let live = true;
    loadExtras(leader, Date.now())
      .then((v) => live && setValue(v))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [leader, wantsHandler]);
  return value;
}

function statusText(status: PresenceStatus | null, sos: Mode | null): string {
  if (sos) return sosWord(sos);
  return status ?? 'no fix';
}

export function MemberRow({
  member,
  position,
  status,
  sos,
  isMe,
  nowMs,
  color,
  reference,
  selected,
  onSelect,
  actions,
}: Props) {
  const [menu, setMenu] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const rowExtras = useRowExtras(actions !== null, member);
  const notReady = rowExtras?.notReady.get(member.id);
  const push = rowExtras?.push.get(member.id);
  const handler = member.handlerId ? rowExtras?.callsigns.get(member.handlerId) : undefined;
  const elevation = useElevation(position?.lat ?? null, position?.lon ?? null);
  useEffect(() => {
    if (!menu) return;
    const close = (ev: MouseEvent) => {
      if (!menuRef.current?.contains(ev.target as Node)) setMenu(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [menu]);

  const showDistance = position && reference && !(isMe && reference.label === 'you');
  const relative = showDistance ? describeFrom(reference.point, position) : null;
  const act = (fn: (m: Member) => void) => () => {
    setMenu(false);
    fn(member);
  };

  return (
    <li
      className={`member-row status-${status ?? 'none'}${selected ? ' selected' : ''}`}
      data-testid="member-row"
      data-callsign={member.callsign}
      data-member-id={member.id}
    >
      <button type="button" className="member-main" onClick={() => onSelect(member.id)} disabled={!position}>
        <span className="swatch" style={{ background: color }} />
        <span className="member-text">
          <span className="member-line">
            <strong className="callsign">{member.callsign}</strong>
            {isMe && <span className="tag">you</span>}
            {member.role === 'leader' && <span className="tag">leader</span>}
            {member.kind === 'animal' && <span className="tag">K9</span>}
            <span className={`status-badge badge-${status ?? 'none'}`} data-testid="status-badge">
              {statusText(status, sos)}
            </span>
          </span>
          <span className="member-name">
            {member.name}
            {handler && <span className="handler-of"> · handler: {handler}</span>}
            {push && (
              <span
                className={`tag push-tag${push.lastError ? ' push-failing' : ''}`}
                data-testid={`push-${member.callsign}`}
                title={
                  push.lastError
                    ? `Push failing: ${push.lastError}`
                    : push.lastDeliveredAt
                      ? `Alerts reach ${push.subscriptions === 1 ? 'a phone' : `${push.subscriptions} phones`} with the app closed; last delivered ${formatAge(Date.parse(push.lastDeliveredAt), nowMs)} ago`
                      : 'Alerts reach the phone with the app closed; none sent yet'
                }
              >
                push
              </span>
            )}
            {notReady && (
              <span
                className="tag not-ready-tag"
                data-testid={`not-ready-${member.callsign}`}
                title={notReady.join('; ')}
                style={{
                  color: 'var(--danger)',
                  borderColor: 'var(--danger)',
                  whiteSpace: 'nowrap',
                  marginLeft: 6,
                }}
              >
                not field-ready
              </span>
            )}
          </span>
          {position ? (
            <span className="member-meta">
              <span className="age">{formatAge(Date.parse(position.time), nowMs)} ago</span>
              {position.battery !== null && (
                <span className={position.battery < 20 ? 'battery battery-low' : 'battery'}>
                  bat {Math.round(position.battery)}%
                </span>
              )}
              {elevation !== null && (
                <span className="elevation" data-testid="elevation" title="elevation from the terrain map">
                  {formatElevation(elevation)}
                </span>
              )}
              {relative && (
                <span className="relative" title={`bearing ${relative.bearing}° from ${reference?.label}`}>
                  {relative.text}
                </span>
              )}
            </span>
          ) : (
            <span className="member-meta">no position yet</span>
          )}
        </span>
      </button>
      {actions && (
        <div className="row-menu" ref={menuRef}>
          <button
            type="button"
            className="icon-button"
            aria-label={`Actions for ${member.callsign}`}
            aria-expanded={menu}
            onClick={() => setMenu(!menu)}
          >
            ⋯
          </button>
          {menu && (
            <div className="menu" role="menu">
              <button type="button" role="menuitem" onClick={act(actions.connect)}>
                Connect (QR codes)
              </button>
              <button type="button" role="menuitem" onClick={act(actions.edit)}>
                Edit
              </button>
              <button type="button" role="menuitem" onClick={act(actions.revoke)}>
                Revoke tokens
              </button>
              <button type="button" role="menuitem" className="danger" onClick={act(actions.remove)}>
                Remove
              </button>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import { formatAge, type PresenceStatus } from '../../../src/domain/presence.ts';
import { sosWord } from '../shared/labels.ts';
import { describeFrom } from '../shared/relative.ts';
import type { ConnectTarget } from './ConnectDialog.tsx';
import type { Reference } from './member-view.ts';

export interface MemberActions {
  connect: (member: ConnectTarget) => void;
  revoke: (member: Member) => void;
  remove: (member: Member) => void;
}

interface Props {
  member: Member;
  position: Position | null;
  status: PresenceStatus | null;
  isMe: boolean;
  nowMs: number;
  color: string;
  reference: Reference | null;
  selected: boolean;
  onSelect: (memberId: string) => void;
  actions: MemberActions | null;
}

function statusText(status: PresenceStatus | null, position: Position | null): string {
  if (!status || !position) return 'no fix';
  return status === 'sos' ? sosWord(position) : status;
}

export function MemberRow({
  member,
  position,
  status,
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
            <span className={`status-badge badge-${status ?? 'none'}`}>{statusText(status, position)}</span>
          </span>
          <span className="member-name">{member.name}</span>
          {position ? (
            <span className="member-meta">
              <span className="age">{formatAge(Date.parse(position.time), nowMs)} ago</span>
              {position.battery !== null && (
                <span className={position.battery < 20 ? 'battery battery-low' : 'battery'}>
                  bat {Math.round(position.battery)}%
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

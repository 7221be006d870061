import type { ReactNode } from 'react';
import type { Team } from '../../../src/contract/members.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import type { LiveStatus } from '../shared/live.ts';
import { CONSOLE_VIEWS, type ConsoleView, viewHash } from './views.ts';

interface Props {
  me: Me;
  team: Team | null;
  status: LiveStatus;
  view: ConsoleView;
  /** The red "this is real" button, for every member. */
  escalate?: ReactNode;
  /** Leader-only actions; undefined hides the button. */
  onSettings?: () => void;
  onAddMember?: () => void;
  /** Connecting TAK clients and approving the ones waiting. */
  onTak?: () => void;
  onLogout: () => void;
}

const STATUS_TEXT: Record<LiveStatus, string> = {
  live: 'live',
  connecting: 'offline',
  offline: 'offline',
  revoked: 'offline',
};

const STATUS_TITLE: Record<LiveStatus, string> = {
  live: 'Receiving positions live',
  connecting: 'Connecting to the server…',
  offline: 'Connection lost, retrying',
  revoked: 'Access revoked',
};

export function Header({
  me,
  team,
  status,
  view,
  escalate,
  onSettings,
  onAddMember,
  onTak,
  onLogout,
}: Props) {
  return (
    <header className="topbar">
      <span className="brand">Howl</span>
      <span className="team-name">{team?.name ?? me.team}</span>
      <span className={`live-status live-${status}`} data-testid="live-status" title={STATUS_TITLE[status]}>
        {STATUS_TEXT[status]}
      </span>
      <nav className="view-tabs" aria-label="Views" data-scrolls="x">
        {CONSOLE_VIEWS.map((v) => (
          <a
            key={v.id}
            href={viewHash(v.id)}
            className={v.id === view ? 'active' : undefined}
            aria-current={v.id === view ? 'page' : undefined}
            data-testid={`nav-${v.id}`}
          >
            {v.label}
          </a>
        ))}
      </nav>
      <span className="spacer" />
      {escalate}
      {onAddMember && (
        <button type="button" className="primary" onClick={onAddMember}>
          Add member
        </button>
      )}
      {onTak && (
        <button type="button" onClick={onTak} data-testid="header-tak" title="Connect ATAK, iTAK or WinTAK">
          TAK
        </button>
      )}
      {onSettings && (
        <button type="button" onClick={onSettings}>
          Settings
        </button>
      )}
      <span className="me" title={me.name}>
        {me.callsign}
      </span>
      <button type="button" className="ghost" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}

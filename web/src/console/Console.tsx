import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../../src/contract/auth.ts';
import type { LatLon } from '../../../src/contract/common.ts';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Member, Team } from '../../../src/contract/members.ts';
import { api, errorMessage } from '../shared/api.ts';
import { useLiveTeam } from '../shared/use-live-team.ts';
import { useNow } from '../shared/use-now.ts';
import { AddMemberDialog } from './AddMemberDialog.tsx';
import { ConnectDialog, type ConnectTarget } from './ConnectDialog.tsx';
import { confirmAction } from './Dialog.tsx';
import { Header } from './Header.tsx';
import { type FocusRequest, MapView } from './MapView.tsx';
import { MemberList } from './MemberList.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';

type Open = { kind: 'settings' } | { kind: 'add' } | { kind: 'connect'; member: ConnectTarget } | null;

interface Props {
  me: Me;
  config: ClientConfig;
  onLogout: () => void;
}

export function Console({ me, config, onLogout }: Props) {
  const { state, status, setTeam, reloadMembers } = useLiveTeam({ withTrails: true });
  const nowMs = useNow(1000);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [pickingBase, setPickingBase] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const isLeader = me.role === 'leader';

  const say = useCallback((text: string, error = false) => setNotice({ text, error }), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), notice.error ? 10_000 : 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const select = useCallback(
    (memberId: string) => {
      setSelected(memberId);
      const p = state.latest[memberId];
      if (p) setFocus({ lat: p.lat, lon: p.lon, key: Date.now() });
      document.querySelector(`[data-member-id="${memberId}"]`)?.scrollIntoView({ block: 'nearest' });
    },
    [state.latest],
  );

  const pickBase = useCallback(
    async (base: LatLon) => {
      setPickingBase(false);
      try {
        setTeam(await api<Team>('/api/team', { method: 'PATCH', body: { base } }));
        say('Base set.');
      } catch (err) {
        say(errorMessage(err), true);
      }
    },
    [setTeam, say],
  );

  const revoke = async (member: Member) => {
    if (
      !confirmAction(
        `Revoke every token of ${member.callsign}? Their phone and apps stop reporting until reconnected.`,
      )
    )
      return;
    try {
      await api(`/api/members/${member.id}/revoke`, { method: 'POST' });
      say(`Tokens of ${member.callsign} revoked.`);
    } catch (err) {
      say(errorMessage(err), true);
    }
  };

  const remove = async (member: Member) => {
    if (!confirmAction(`Remove ${member.callsign} (${member.name}) from the team? Their history is kept.`))
      return;
    try {
      await api(`/api/members/${member.id}`, { method: 'DELETE' });
      await reloadMembers();
      say(`${member.callsign} removed.`);
    } catch (err) {
      say(errorMessage(err), true);
    }
  };

  return (
    <div className="console">
      <Header
        me={me}
        team={state.team}
        status={status}
        onSettings={isLeader ? () => setOpen({ kind: 'settings' }) : undefined}
        onAddMember={isLeader ? () => setOpen({ kind: 'add' }) : undefined}
        onLogout={onLogout}
      />
      {status === 'revoked' && (
        <div className="banner banner-error" role="alert">
          Access revoked: the server closed the live connection.{' '}
          <button type="button" className="link-button" onClick={onLogout}>
            Sign in again
          </button>
        </div>
      )}
      <div className="console-body">
        <MemberList
          me={me}
          state={state}
          nowMs={nowMs}
          selected={selected}
          onSelect={select}
          actions={
            isLeader ? { connect: (member) => setOpen({ kind: 'connect', member }), revoke, remove } : null
          }
        />
        <main className="console-map">
          <MapView
            tiles={config.tiles}
            state={state}
            nowMs={nowMs}
            focus={focus}
            onSelect={select}
            onPick={pickingBase ? pickBase : null}
          />
          {pickingBase && (
            <div className="map-hint">
              Click the map where the base is.{' '}
              <button type="button" className="link-button" onClick={() => setPickingBase(false)}>
                Cancel
              </button>
            </div>
          )}
          {notice && (
            <output className={notice.error ? 'toast toast-error' : 'toast'}>
              {notice.text}
              <button
                type="button"
                className="icon-button"
                aria-label="Dismiss"
                onClick={() => setNotice(null)}
              >
                ×
              </button>
            </output>
          )}
        </main>
      </div>
      {open?.kind === 'settings' && state.team && (
        <SettingsDialog
          team={state.team}
          onSaved={setTeam}
          onPickBase={() => {
            setOpen(null);
            setPickingBase(true);
          }}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'add' && (
        <AddMemberDialog
          onAdded={() => void reloadMembers().catch(() => undefined)}
          onConnect={(member) => setOpen({ kind: 'connect', member })}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'connect' && <ConnectDialog member={open.member} onClose={() => setOpen(null)} />}
    </div>
  );
}

import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LatLon } from '../../../src/contract/common.ts';
import type { Message } from '../../../src/contract/messages.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { useAlarmUnlock } from '../shared/alarm-audio.ts';
import { acknowledgedAlerts } from '../shared/alert-view.ts';
import { ApiError, api, errorMessage } from '../shared/api.ts';
import { confirmAction } from '../shared/Dialog.tsx';
import { ModeFrame } from '../shared/ModeFrame.tsx';
import { readStored, writeStored } from '../shared/stored.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import { useLiveTeam } from '../shared/use-live-team.ts';
import { useNow } from '../shared/use-now.ts';
import { useSearchPlan } from '../shared/use-search-plan.ts';
import { AlarmUnlockBar } from './AlarmUnlockBar.tsx';
import { DetectionSheet } from './DetectionSheet.tsx';
import { FieldMessages } from './FieldMessages.tsx';
import { FieldOperation } from './FieldOperation.tsx';
import { FindButton } from './FindButton.tsx';
import { GpsStatus } from './GpsStatus.tsx';
import { OfflineMapCard } from './OfflineMapCard.tsx';

// Loaded on its own (the map library is large); a phone with no network and no kept copy shows no map
// rather than failing the page.
const FieldMap = lazy(() => import('./FieldMap.tsx').catch(() => ({ default: () => null })));

import { OfflineNotice } from './OfflineNotice.tsx';
import { OutboxContext, useOutbox } from './outbox.ts';
import { PushCard } from './PushCard.tsx';
import { SearchAssignmentCard } from './SearchAssignmentCard.tsx';
import { FixSender, fixBody, type SenderState } from './sender.ts';
import { Teammates } from './Teammates.tsx';
import { KEPT_ME_KEY, KEPT_STATE_KEY } from './token.ts';
import { useBattery, useWakeLock } from './use-device.ts';
import { useGps } from './use-gps.ts';

interface Props {
  token: string;
  onForget: () => void;
}

/** A searcher's phone loads its assignment's figures again after its own new positions, at most this often. */
const FOLLOW_OWN_MS = 30_000;

export function FieldSession({ token, onForget }: Props) {
  const nowMs = useNow(1000);
  const [me, setMe] = useState<Me | null>(() => readStored<Me>(KEPT_ME_KEY));
  const [meError, setMeError] = useState<{ text: string; revoked: boolean } | null>(null);
  const [sent, setSent] = useState<SenderState | null>(null);
  const sender = useRef<FixSender | null>(null);
  const battery = useBattery();
  const batteryRef = useRef(battery);
  batteryRef.current = battery;

  useEffect(() => {
    api<Me>('/api/me', { token })
      .then((m) => {
        setMe(m);
        writeStored(KEPT_ME_KEY, m);
      })
      .catch((err) =>
        setMeError({ text: errorMessage(err), revoked: err instanceof ApiError && err.status === 401 }),
      );
  }, [token]);

  useEffect(() => {
    const s = new FixSender(token, setSent);
    sender.current = s;
    setSent(s.current);
    void s.flush();
    const online = () => void s.flush();
    window.addEventListener('online', online);
    return () => {
      s.stop();
      window.removeEventListener('online', online);
    };
  }, [token]);

  const live = useLiveTeam({ token, keepAs: KEPT_STATE_KEY });
  const { outbox, pending } = useOutbox(token);
  // What the outbox sends later (an SOS, an acknowledgement made offline) shows as soon as the server has it.
  const { putAlert, putMessage } = live;
  useEffect(
    () =>
      outbox.onDelivered((item, result) => {
        if (item.kind === 'sos' || item.kind === 'ack')
          for (const a of acknowledgedAlerts(result)) putAlert(a);
        if (item.kind === 'message' && result) putMessage(result as Message);
      }),
    [outbox, putAlert, putMessage],
  );
  const revoked = live.status === 'revoked' || sent?.revoked === true || meError?.revoked === true;
  const onFix = useCallback(
    (p: GeolocationPosition) => sender.current?.add(fixBody(p, batteryRef.current)),
    [],
  );
  const gps = useGps(!revoked, onFix);
  const wakeLock = useWakeLock(!revoked);
  const alarm = useAlarmUnlock(true);

  const fix = gps.last?.coords;
  const reported = me ? live.state.latest[me.memberId] : undefined;
  const own: LatLon | null = fix
    ? { lat: fix.latitude, lon: fix.longitude }
    : reported
      ? { lat: reported.lat, lon: reported.lon }
      : null;
  const operation = live.state.operation;
  const follow = useMemo(() => ({ memberId: me?.memberId, everyMs: FOLLOW_OWN_MS }), [me?.memberId]);
  const { plan } = useSearchPlan(
    operation?.id ?? null,
    live.state.revisions.search,
    live.state.latest,
    token,
    follow,
  );
  const isController = operation?.participants.some(
    (p) => p.memberId === me?.memberId && p.role === 'controller',
  );
  const resume = useAction();
  const doResume = (op: Operation) =>
    resume.run(async () =>
      live.putOperation(
        await api<Operation>(`/api/operations/${op.id}/actions`, {
          method: 'POST',
          token,
          body: { action: 'resume' },
        }),
      ),
    );

  return (
    <OutboxContext.Provider value={outbox}>
      {alarm.blocked && !revoked && <AlarmUnlockBar onUnlock={alarm.unlock} />}
      <ModeFrame
        operation={operation}
        members={live.state.members}
        canResume={me?.role === 'leader' || isController === true}
        onResume={() => operation && void doResume(operation)}
        resumeBusy={resume.busy}
        resumeError={resume.error}
      />
      <main className="field">
        <header className="field-head">
          <span className="brand">Howl</span>
          <span className={`live-status live-${live.status}`}>
            {live.status === 'live' ? 'live' : 'offline'}
          </span>
        </header>
        <p className="who">
          {me ? (
            <>
              You are <strong>{me.callsign}</strong> · {me.team}
            </>
          ) : meError && !meError.revoked ? (
            <span className="error">{meError.text}</span>
          ) : (
            'Connecting…'
          )}
        </p>
        {!revoked && live.status !== 'live' && (
          <OfflineNotice status={live.status} heardAtMs={live.heardAtMs} nowMs={nowMs} />
        )}
        {revoked ? (
          <section className="card card-revoked" role="alert">
            <h1>Access revoked</h1>
            <p>
              This phone's link no longer works, and it stopped sending. Ask your leader for a new QR code.
            </p>
          </section>
        ) : (
          <>
            <FieldOperation
              token={token}
              me={me}
              state={live.state}
              own={own}
              nowMs={nowMs}
              alarmBlocked={alarm.blocked}
              onUnlockAlarm={alarm.unlock}
              onAlert={live.putAlert}
              onOperation={live.putOperation}
              pending={pending}
            />
            <SearchAssignmentCard plan={plan} memberId={me?.memberId ?? null} own={own} />
            {pending.length > 0 && (
              <section className="card outbox-card" data-testid="outbox-pending" role="status">
                <p>
                  <strong>{pending.length} waiting to be sent</strong> since{' '}
                  {clockTime(pending[0]?.createdMs ?? nowMs)}: {pending.map((i) => i.label).join(', ')}. They
                  go out by themselves, once each, when the connection returns.
                </p>
              </section>
            )}
            <FindButton token={token} me={me} operation={live.state.operation} members={live.state.members} />
            <DetectionSheet
              token={token}
              me={me}
              operation={live.state.operation}
              revision={live.state.revisions.drills}
            />
            <GpsStatus gps={gps.state} />
          </>
        )}
        <section className="card stats">
          <div className="stat">
            <span className="stat-label">Sent</span>
            <span className="stat-value" data-testid="sent-count">
              {sent?.sent ?? 0}
            </span>
          </div>
          <div className="stat">
            <span className="stat-label">Last sent</span>
            <span className="stat-value">
              {sent?.lastSentMs ? `${formatAge(sent.lastSentMs, nowMs)} ago` : '—'}
            </span>
          </div>
          {(sent?.queued ?? 0) > 0 && (
            <p className="queued">
              {sent?.queued} {sent?.queued === 1 ? 'fix is' : 'fixes are'} waiting to be sent.
            </p>
          )}
          {sent?.error && <p className="error">{sent.error}</p>}
        </section>
        <Teammates state={live.state} me={me} own={gps.last} nowMs={nowMs} />
        {!revoked && (
          <Suspense fallback={null}>
            <FieldMap state={live.state} nowMs={nowMs} own={gps.last} plan={plan} />
          </Suspense>
        )}
        {!revoked && <FieldMessages state={live.state} onMessage={live.putMessage} />}
        {!revoked && <PushCard token={token} />}
        {!revoked && (
          <OfflineMapCard operationArea={live.state.operation?.area} base={live.state.team?.base ?? null} />
        )}
        <footer className="field-foot">
          <p>
            {wakeLock === 'on'
              ? 'The screen stays on while this page is open.'
              : 'Keep this page open and the screen on to keep sending.'}{' '}
            A web page cannot send your position in the background on most phones: for all-day tracking, use
            Traccar Client or OwnTracks alongside.
            {battery !== null && ` Battery ${battery}%.`}
          </p>
          <button
            type="button"
            className="ghost"
            onClick={async () => {
              if (await confirmAction("Forget this phone's link? You will need a new QR code.", 'Disconnect'))
                onForget();
            }}
          >
            Disconnect this phone
          </button>
        </footer>
      </main>
    </OutboxContext.Provider>
  );
}

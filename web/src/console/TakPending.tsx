import { type FormEvent, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type {
  TakApproved,
  TakEnrolment,
  TakPendingDevice,
  TakPendingList,
} from '../../../src/contract/tak.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { api, errorMessage } from '../shared/api.ts';
import { useNow } from '../shared/use-now.ts';
import { useHeldList } from './use-held-list.ts';

const readHeld = async () => {
  const [list, enrolment] = await Promise.all([
    api<TakPendingList>('/api/tak/pending'),
    api<TakEnrolment>('/api/tak/enrolment'),
  ]);
  return { devices: list.devices, enrolment };
};

interface Props {
  /** The member preselected for approval (the one the Connect dialog was opened for). */
  defaultMemberId?: string;
}

/**
 * TAK clients whose uid no member owns yet and that sent this team's enrolment code: a leader binds each to a
 * member, or dismisses it. A client that sent no code is listed nowhere: its uid, read off the device, is typed.
 */
export function TakPending({ defaultMemberId }: Props) {
  const { held, members, error, done, setDone, load } = useHeldList(readHeld);
  const devices = held?.devices ?? null;
  const enrolment = held?.enrolment ?? null;
  const nowMs = useNow(5000);

  const approved = (a: TakApproved) => {
    const live = a.connections > 0 ? ' Its open connection now reports for them.' : '';
    setDone(`${a.uid} is now a device of ${a.callsign}.${live}`);
    void load();
  };

  return (
    <section className="tak-pending" data-testid="tak-pending">
      <h3>TAK devices waiting</h3>
      <p className="dialog-note">
        A TAK client whose uid belongs to no member is held: nothing it sends is stored or shown until you
        bind it to a member. To list it here (and for no other team), its user sends your team's code as a
        GeoChat message, in any chat room:{' '}
        <code className="tak-code" data-testid="tak-enrolment-code">
          {enrolment?.code ?? '…'}
        </code>
      </p>
      {error && <p className="form-error">{error}</p>}
      {done && (
        <p className="tak-done" data-testid="tak-approved">
          {done}
        </p>
      )}
      {devices === null && !error && <p>Loading…</p>}
      {devices?.length === 0 && <p data-testid="tak-pending-empty">No TAK device is waiting.</p>}
      {devices && devices.length > 0 && (
        <ul className="tak-pending-list">
          {devices.map((d) => (
            <PendingRow
              key={d.uid}
              device={d}
              members={members}
              defaultMemberId={defaultMemberId}
              nowMs={nowMs}
              onApproved={approved}
              onDismissed={() => void load()}
            />
          ))}
        </ul>
      )}
      <ApproveByUid members={members} defaultMemberId={defaultMemberId} onApproved={approved} />
    </section>
  );
}

/** A client that sent no code: the leader types the uid the device shows; no list offers other teams' uids. */
function ApproveByUid({
  members,
  defaultMemberId,
  onApproved,
}: {
  members: Member[];
  defaultMemberId?: string;
  onApproved: (a: TakApproved) => void;
}) {
  const [uid, setUid] = useState('');
  const [memberId, setMemberId] = useState(defaultMemberId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = memberId || members[0]?.id || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const path = `/api/tak/pending/${encodeURIComponent(uid.trim())}/approve`;
      onApproved(await api<TakApproved>(path, { method: 'POST', body: { memberId: chosen } }));
      setUid('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="tak-pending-actions" onSubmit={submit} data-testid="tak-approve-uid">
      <label>
        <span className="copy-label">Or the uid the device shows (ATAK: Settings → Device preferences)</span>
        <input
          value={uid}
          onChange={(e) => setUid(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="tak-approve-uid-input"
        />
      </label>
      <select
        value={chosen}
        onChange={(e) => setMemberId(e.target.value)}
        aria-label="Member"
        disabled={busy || members.length === 0}
      >
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.callsign} — {m.name}
          </option>
        ))}
      </select>
      <button type="submit" className="small" disabled={busy || !chosen || uid.trim() === ''}>
        Approve
      </button>
      {error && <p className="form-error">{error}</p>}
    </form>
  );
}

interface RowProps {
  device: TakPendingDevice;
  members: Member[];
  defaultMemberId?: string;
  nowMs: number;
  onApproved: (a: TakApproved) => void;
  onDismissed: () => void;
}

function PendingRow({ device: d, members, defaultMemberId, nowMs, onApproved, onDismissed }: RowProps) {
  const [memberId, setMemberId] = useState(defaultMemberId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = memberId || members[0]?.id || '';
  const path = `/api/tak/pending/${encodeURIComponent(d.uid)}`;

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const approve = () =>
    act(async () =>
      onApproved(await api<TakApproved>(`${path}/approve`, { method: 'POST', body: { memberId: chosen } })),
    );
  const dismiss = () =>
    act(async () => {
      await api(path, { method: 'DELETE' });
      onDismissed();
    });

  return (
    <li className="tak-pending-row" data-testid="tak-pending-row" data-uid={d.uid}>
      <div className="tak-pending-who">
        <strong>{d.callsign ?? 'no callsign'}</strong>
        <code className="tak-uid">{d.uid}</code>
        <span className={d.connected ? 'tag tak-online' : 'tag'}>{d.connected ? 'connected' : 'gone'}</span>
      </div>
      <div className="tak-pending-meta">
        <span>from {d.remote}</span>
        <span>
          first {formatAge(Date.parse(d.firstAt), nowMs)} ago, last {formatAge(Date.parse(d.lastAt), nowMs)}{' '}
          ago
        </span>
        <span>
          {d.count} event{d.count === 1 ? '' : 's'} held
        </span>
        {d.lastPosition && (
          <span data-testid="tak-pending-position">
            at {d.lastPosition.lat.toFixed(5)}, {d.lastPosition.lon.toFixed(5)}
          </span>
        )}
      </div>
      <div className="tak-pending-actions">
        <label>
          <span className="copy-label">Member</span>
          <select
            value={chosen}
            onChange={(e) => setMemberId(e.target.value)}
            data-testid="tak-approve-member"
            disabled={busy || members.length === 0}
          >
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.callsign} — {m.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary small"
          onClick={approve}
          disabled={busy || !chosen}
          data-testid="tak-approve"
        >
          Approve
        </button>
        <button type="button" className="small" onClick={dismiss} disabled={busy} data-testid="tak-dismiss">
          Dismiss
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
    </li>
  );
}

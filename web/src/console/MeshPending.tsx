import { type FormEvent, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { MeshApproved, MeshPendingList, MeshPendingNode } from '../../../src/contract/meshtastic.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { api, errorMessage } from '../shared/api.ts';
import { useNow } from '../shared/use-now.ts';
import { useHeldList } from './use-held-list.ts';

const readNodes = async () => (await api<MeshPendingList>('/api/meshtastic/pending')).nodes;

/**
 * Meshtastic nodes no member owns that sent this team's enrolment code as a text: a leader binds each to a
 * member, or dismisses it; or types a node id read off the radio.
 */
export function MeshPending({ defaultMemberId }: { defaultMemberId?: string }) {
  const {
    held: nodes,
    members,
    error,
    setError,
    done,
    setDone,
    load,
  } = useHeldList<MeshPendingNode[]>(readNodes);
  const nowMs = useNow(5000);

  const act = async (what: () => Promise<string | null>) => {
    try {
      setDone(await what());
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
    void load();
  };
  const approve = (nodeId: string, memberId: string) =>
    act(async () => {
      const path = `/api/meshtastic/pending/${encodeURIComponent(nodeId)}/approve`;
      const a = await api<MeshApproved>(path, { method: 'POST', body: { memberId } });
      return `${a.nodeId} is now a device of ${a.callsign}.`;
    });
  const dismiss = (nodeId: string) =>
    act(async () => {
      await api(`/api/meshtastic/pending/${encodeURIComponent(nodeId)}`, { method: 'DELETE' });
      return null;
    });

  return (
    <section className="tak-pending" data-testid="mesh-pending">
      <h3>Meshtastic radios waiting</h3>
      <p className="dialog-note">
        A node whose id belongs to no member is held: nothing it sends is stored. To list it here, send the
        code above as a text from the radio.
      </p>
      {error && <p className="form-error">{error}</p>}
      {done && (
        <p className="tak-done" data-testid="mesh-approved">
          {done}
        </p>
      )}
      {nodes?.length === 0 && <p data-testid="mesh-pending-empty">No radio is waiting.</p>}
      <ul className="tak-pending-list">
        {nodes?.map((n) => (
          <li key={n.nodeId} className="tak-pending-row" data-testid="mesh-pending-row" data-node={n.nodeId}>
            <div className="tak-pending-who">
              <strong>{n.name ?? 'no name'}</strong>
              <code className="tak-uid">{n.nodeId}</code>
            </div>
            <div className="tak-pending-meta">
              <span>
                last {n.type} {formatAge(Date.parse(n.lastAt), nowMs)} ago, {n.count} packet
                {n.count === 1 ? '' : 's'} held
              </span>
              {n.lastPosition && (
                <span>
                  at {n.lastPosition.lat.toFixed(5)}, {n.lastPosition.lon.toFixed(5)}
                </span>
              )}
            </div>
            <ApproveForm
              members={members}
              defaultMemberId={defaultMemberId}
              onApprove={(m) => approve(n.nodeId, m)}
            >
              <button type="button" className="small" onClick={() => void dismiss(n.nodeId)}>
                Dismiss
              </button>
            </ApproveForm>
          </li>
        ))}
      </ul>
      <ApproveForm
        members={members}
        defaultMemberId={defaultMemberId}
        nodeIdInput
        onApprove={(m, nodeId) => approve(nodeId ?? '', m)}
      />
    </section>
  );
}

function ApproveForm(props: {
  members: Member[];
  defaultMemberId?: string;
  nodeIdInput?: boolean;
  onApprove: (memberId: string, nodeId?: string) => Promise<void>;
  children?: React.ReactNode;
}) {
  const [memberId, setMemberId] = useState(props.defaultMemberId ?? '');
  const [nodeId, setNodeId] = useState('');
  const chosen = memberId || props.members[0]?.id || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await props.onApprove(chosen, props.nodeIdInput ? nodeId.trim() : undefined);
    setNodeId('');
  };
  return (
    <form className="tak-pending-actions" onSubmit={submit}>
      {props.nodeIdInput && (
        <label>
          <span className="copy-label">Or the node id the radio shows (!a1b2c3d4)</span>
          <input value={nodeId} onChange={(e) => setNodeId(e.target.value)} data-testid="mesh-approve-id" />
        </label>
      )}
      <select value={chosen} onChange={(e) => setMemberId(e.target.value)} aria-label="Member">
        {props.members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.callsign} — {m.name}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="primary small"
        disabled={!chosen || (props.nodeIdInput && nodeId.trim() === '')}
      >
        Approve
      </button>
      {props.children}
    </form>
  );
}

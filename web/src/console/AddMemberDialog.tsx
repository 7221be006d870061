import { type FormEvent, useEffect, useState } from 'react';
import type { Role } from '../../../src/contract/common.ts';
import type { AddedMember, AddMemberBody, Member, MemberList } from '../../../src/contract/members.ts';
import { api } from '../shared/api.ts';
import { Dialog, FormActions } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';
import { Copyable } from './ConnectDialog.tsx';
import { MemberNameFields } from './MemberNameFields.tsx';

interface Props {
  onAdded: (added: AddedMember) => void;
  onConnect: (member: { id: string; callsign: string }) => void;
  onClose: () => void;
}

export function AddMemberDialog({ onAdded, onConnect, onClose }: Props) {
  const [name, setName] = useState('');
  const [callsign, setCallsign] = useState('');
  const [device, setDevice] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [added, setAdded] = useState<AddedMember | null>(null);
  const [k9, setK9] = useState(false);
  const [handlerId, setHandlerId] = useState('');
  const [people, setPeople] = useState<Member[]>([]);
  const { busy, error, run } = useAction();
  useEffect(() => {
    if (!k9 || people.length > 0) return;
    api<MemberList>('/api/members')
      .then((r) => setPeople(r.members.filter((m) => (m.kind ?? 'person') === 'person')))
      .catch(() => setPeople([]));
  }, [k9, people.length]);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body: AddMemberBody = k9
      ? { name: name.trim(), callsign: callsign.trim(), role: 'member', kind: 'animal', handlerId }
      : { name: name.trim(), callsign: callsign.trim(), role };
    if (device.trim()) body.device = device.trim();
    const result = await run(() => api<AddedMember>('/api/members', { method: 'POST', body }));
    if (result) {
      setAdded(result);
      onAdded(result);
    }
  };

  if (added) {
    return (
      <Dialog title={`${added.callsign} added`} onClose={onClose}>
        <p>
          {added.name} is now a {added.role} of {added.team}. The token below is shown only this once; the QR
          codes issue a new one whenever you need it.
        </p>
        <Copyable label="Device identifier" value={added.device} />
        <Copyable label="Token" value={added.token} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Done
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => onConnect({ id: added.memberId, callsign: added.callsign })}
          >
            Show QR codes
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Add member" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <MemberNameFields name={name} callsign={callsign} onName={setName} onCallsign={setCallsign} />
        <label>
          Device identifier <span className="hint">(optional: leave empty to generate one)</span>
          <input name="device" maxLength={64} value={device} onChange={(ev) => setDevice(ev.target.value)} />
        </label>
        <label style={{ flexDirection: 'row', alignItems: 'center', gap: 6 }}>
          <input type="checkbox" name="k9" checked={k9} onChange={(ev) => setK9(ev.target.checked)} /> K9
          (animal)
        </label>
        {k9 ? (
          <label>
            Handler
            <select
              name="handler"
              required
              value={handlerId}
              onChange={(ev) => setHandlerId(ev.target.value)}
            >
              <option value="">Choose the handler…</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.callsign} · {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            Role
            <select name="role" value={role} onChange={(ev) => setRole(ev.target.value as Role)}>
              <option value="member">Member</option>
              <option value="leader">Leader</option>
            </select>
          </label>
        )}
        <FormActions error={error} busy={busy} label="Add member" busyLabel="Adding…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

import { type FormEvent, useEffect, useState } from 'react';
import type { Role } from '../../../src/contract/common.ts';
import type { Member, MemberList, UpdateMemberBody } from '../../../src/contract/members.ts';
import { api } from '../shared/api.ts';
import { Dialog, FormActions } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';
import { InReachFeedFields, useInReachFeed } from './InReachFeedFields.tsx';
import { MemberNameFields } from './MemberNameFields.tsx';

interface Props {
  member: Member;
  onSaved: (member: Member) => void;
  onClose: () => void;
}

/** The fields that differ from the member as they are: only those are sent. */
export function memberChanges(
  member: Member,
  form: { name: string; callsign: string; role: Role; handlerId: string; devices: string },
): UpdateMemberBody {
  const body: UpdateMemberBody = {};
  if (form.name.trim() !== member.name) body.name = form.name.trim();
  if (form.callsign.trim().toUpperCase() !== member.callsign) body.callsign = form.callsign.trim();
  if (member.kind === 'animal') {
    if (form.handlerId && form.handlerId !== member.handlerId) body.handlerId = form.handlerId;
  } else if (form.role !== member.role) body.role = form.role;
  const devices = form.devices
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);
  if (devices.join('\n') !== member.devices.join('\n')) body.devices = devices;
  return body;
}

/** A leader changes a member afterwards: name, callsign, role or a K9's handler, and device ids. */
export function EditMemberDialog({ member, onSaved, onClose }: Props) {
  const [current, setCurrent] = useState<Member>(member);
  const [people, setPeople] = useState<Member[]>([]);
  const [name, setName] = useState(member.name);
  const [callsign, setCallsign] = useState(member.callsign);
  const [role, setRole] = useState<Role>(member.role);
  const [handlerId, setHandlerId] = useState(member.handlerId ?? '');
  const [devices, setDevices] = useState(member.devices.join('\n'));
  const { busy, error, run } = useAction();
  const inreach = useInReachFeed(member.id);
  const isK9 = member.kind === 'animal';

  useEffect(() => {
    let live = true;
    api<MemberList>('/api/members')
      .then((r) => {
        if (!live) return;
        const fresh = r.members.find((m) => m.id === member.id);
        if (fresh) {
          setCurrent(fresh);
          setDevices(fresh.devices.join('\n'));
        }
        setPeople(r.members.filter((m) => (m.kind ?? 'person') === 'person' && m.id !== member.id));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [member.id]);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = memberChanges(current, { name, callsign, role, handlerId, devices });
    const saved = await run(async () => {
      const member_ =
        Object.keys(body).length === 0
          ? current
          : await api<Member>(`/api/members/${member.id}`, { method: 'PATCH', body });
      await inreach.save();
      return member_;
    });
    if (saved) {
      onSaved(saved);
      onClose();
    }
  };

  return (
    <Dialog title={`Edit ${member.callsign}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <MemberNameFields name={name} callsign={callsign} onName={setName} onCallsign={setCallsign} />
        {isK9 ? (
          <label>
            Handler
            <select name="handler" value={handlerId} onChange={(ev) => setHandlerId(ev.target.value)}>
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
        <label>
          Device identifiers{' '}
          <span className="hint">(one per line; an id removed here stops working at once)</span>
          <textarea name="devices" rows={3} value={devices} onChange={(ev) => setDevices(ev.target.value)} />
        </label>
        {isK9 ? null : <InReachFeedFields state={inreach} />}
        <FormActions error={error} busy={busy} label="Save" busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

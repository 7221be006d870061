interface Props {
  name: string;
  callsign: string;
  onName: (name: string) => void;
  onCallsign: (callsign: string) => void;
}

/** A member's name and callsign (upper case as typed), for adding and for editing a member. */
export function MemberNameFields({ name, callsign, onName, onCallsign }: Props) {
  return (
    <>
      <label>
        Name
        <input name="name" required maxLength={80} value={name} onChange={(ev) => onName(ev.target.value)} />
      </label>
      <label>
        Callsign
        <input
          name="callsign"
          required
          maxLength={24}
          autoCapitalize="characters"
          placeholder="e.g. STILES"
          value={callsign}
          onChange={(ev) => onCallsign(ev.target.value.toUpperCase())}
        />
      </label>
    </>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { Member, MemberList } from '../../../src/contract/members.ts';
import { api, errorMessage } from '../shared/api.ts';

/** Held devices are this server's gateway's, not the team's feed's: the list is polled. */
const POLL_MS = 5000;

/**
 * A gateway's held devices (TAK clients, Meshtastic radios) as a leader binds them to members: `read` (a
 * function that stays the same) polled every few seconds, the team's members to choose from, the last error and
 * the last approval's words.
 */
export function useHeldList<T>(read: () => Promise<T>) {
  const [held, setHeld] = useState<T | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setHeld(await read());
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [read]);

  useEffect(() => {
    void load();
    const id = setInterval(() => void load(), POLL_MS);
    api<MemberList>('/api/members')
      .then((m) => setMembers(m.members))
      .catch((err) => setError(errorMessage(err)));
    return () => clearInterval(id);
  }, [load]);

  return { held, members, error, setError, done, setDone, load };
}

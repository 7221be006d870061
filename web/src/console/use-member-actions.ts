import type { Member } from '../../../src/contract/members.ts';
import { api, errorMessage } from '../shared/api.ts';
import { confirmAction } from '../shared/Dialog.tsx';

/** The leader's revoke and remove, each confirmed first and reported in a notice. */
export function memberActions(
  say: (text: string, error?: boolean) => void,
  reloadMembers: () => Promise<void>,
) {
  const revoke = async (member: Member) => {
    const sure = await confirmAction(
      `Revoke every token of ${member.callsign}? Their phone and apps stop reporting until reconnected.`,
    );
    if (!sure) return;
    try {
      await api(`/api/members/${member.id}/revoke`, { method: 'POST' });
      say(`Tokens of ${member.callsign} revoked.`);
    } catch (err) {
      say(errorMessage(err), true);
    }
  };

  const remove = async (member: Member) => {
    if (
      !(await confirmAction(
        `Remove ${member.callsign} (${member.name}) from the team? Their history is kept.`,
      ))
    )
      return;
    try {
      await api(`/api/members/${member.id}`, { method: 'DELETE' });
      await reloadMembers();
      say(`${member.callsign} removed.`);
    } catch (err) {
      say(errorMessage(err), true);
    }
  };

  return { revoke, remove };
}

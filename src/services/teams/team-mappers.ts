import type { Member, Team } from '../../contract/members.ts';
import type { Position } from '../../contract/positions.ts';
import type { MemberRow } from '../../store/members.repo.ts';
import type { PositionRow } from '../../store/positions.repo.ts';
import type { TeamRow } from '../../store/teams.repo.ts';

export function toTeam(t: TeamRow): Team {
  return {
    id: t.id,
    name: t.name,
    base: t.base_lat !== null && t.base_lon !== null ? { lat: t.base_lat, lon: t.base_lon } : null,
    staleSeconds: t.stale_seconds,
    separationM: t.separation_m,
    alertResendS: t.alert_resend_s,
    sosCountdownS: t.sos_countdown_s,
    rollCallDeadlineS: t.roll_call_deadline_s,
    rollCallRepeatS: t.roll_call_repeat_s,
    manDownMinutes: t.man_down_minutes,
    clock: t.clock,
    keepPositionsDays: t.keep_positions_days,
  };
}

export function toMember(m: MemberRow, devices: readonly string[]): Member {
  return {
    id: m.id,
    name: m.name,
    callsign: m.callsign,
    role: m.role,
    devices: [...devices],
    hasPassword: m.password_hash !== null,
    createdAt: new Date(m.created_at).toISOString(),
    kind: m.kind,
    handlerId: m.handler_id,
  };
}

export function toPosition(p: Omit<PositionRow, 'id'>): Position {
  return {
    memberId: p.member_id,
    time: new Date(p.time).toISOString(),
    lat: p.lat,
    lon: p.lon,
    accuracy: p.accuracy,
    altitude: p.altitude,
    speed: p.speed,
    bearing: p.bearing,
    battery: p.battery,
    alarm: p.alarm,
    source: p.source,
    mode: p.mode,
  };
}

import type { Agent } from 'node:http';
import type { Alert } from '../../contract/alerts.ts';
import type { LatLon } from '../../contract/common.ts';
import type { CreateDrillBody, Drill, DrillSummary } from '../../contract/drills.ts';
import type {
  Casualty,
  Contact,
  IncidentBoard,
  RollCall,
  RollCallStatus,
  Triage,
} from '../../contract/incidents.ts';
import type { Member, Team, TeamSettingsBody } from '../../contract/members.ts';
import type { CreateExerciseBody, Operation, OperationAction } from '../../contract/operations.ts';
import type { Fix } from '../gps.ts';
import { request } from './http.ts';

/** A refusal from the API: its status and the `{ error }` body's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The calls the field page (and the console) make, with a member's bearer token. */
export class FieldApi {
  positionsSent = 0;
  positionsStored = 0;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    private readonly agent?: Agent,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      agent: this.agent,
    });
    const json = res.text ? (JSON.parse(res.text) as unknown) : undefined;
    if (res.status >= 300) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(
        res.status,
        err?.code ?? 'http',
        `${method} ${path}: ${res.status} ${err?.message ?? res.text}`,
      );
    }
    return json as T;
  }

  /** The phone's position, as the field page posts it; resolves with the HTTP status (200 once stored). */
  async reportPosition(fix: Fix, time: Date, batteryPct?: number): Promise<number> {
    this.positionsSent++;
    const res = await request(`${this.baseUrl}/api/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        lat: fix.lat,
        lon: fix.lon,
        time: time.toISOString(),
        accuracy: fix.accuracyM,
        speed: fix.speedMps,
        heading: fix.headingDeg,
        battery: batteryPct,
      }),
      agent: this.agent,
    });
    if (res.status === 200) this.positionsStored++;
    return res.status;
  }

  team = () => this.call<Team>('GET', '/api/team');
  updateTeam = (body: TeamSettingsBody) => this.call<Team>('PATCH', '/api/team', body);
  members = async () => (await this.call<{ members: Member[] }>('GET', '/api/members')).members;
  operations = () =>
    this.call<{ active: Operation | null; operations: Operation[] }>('GET', '/api/operations');
  createExercise = (body: CreateExerciseBody) => this.call<Operation>('POST', '/api/operations', body);
  createDrill = (body: CreateDrillBody) => this.call<Drill>('POST', '/api/drills', body);
  drills = async () => (await this.call<{ drills: DrillSummary[] }>('GET', '/api/drills')).drills;
  drill = (drillId: string) => this.call<Drill>('GET', `/api/drills/${drillId}`);
  act = (operationId: string, action: OperationAction) =>
    this.call<Operation>('POST', `/api/operations/${operationId}/actions`, { action });
  escalate = (reason: string, position?: LatLon) =>
    this.call<Operation>('POST', '/api/escalate', { reason, position });
  close = (operationId: string, summary: string) =>
    this.call<Operation>('POST', `/api/operations/${operationId}/close`, { summary });
  alerts = async () => (await this.call<{ alerts: Alert[] }>('GET', '/api/alerts')).alerts;
  ack = (alertId: string) => this.call<Alert>('POST', `/api/alerts/${alertId}/ack`);
  reportContact = (body: { count: number; position?: LatLon; direction?: string; text?: string }) =>
    this.call<Alert>('POST', '/api/alerts/contact', body);
  contacts = async () => (await this.call<{ contacts: Contact[] }>('GET', '/api/contacts')).contacts;
  updateContact = (
    contactId: string,
    body: { count?: number; withdrawn?: number; position?: LatLon; text?: string },
  ) => this.call<Contact>('PATCH', `/api/contacts/${contactId}`, body);
  incident = () => this.call<IncidentBoard>('GET', '/api/incident');
  startRollCall = () => this.call<RollCall>('POST', '/api/rollcalls');
  answerRollCall = (status: RollCallStatus, memberId?: string) =>
    this.call<RollCall>('POST', '/api/rollcalls/answer', { status, memberId });
  addCasualty = (memberId: string, triage: Triage, injuries: string) =>
    this.call<Casualty>('POST', '/api/casualties', { memberId, triage, injuries });
  updateCasualty = (
    casualtyId: string,
    body: { triage?: Triage; injuries?: string; care?: string; evacuated?: true; recovered?: true },
  ) => this.call<Casualty>('PATCH', `/api/casualties/${casualtyId}`, body);
}

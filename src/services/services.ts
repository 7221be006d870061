import type { Kysely } from 'kysely';
import { PositionBatcher } from '../store/position-batcher.ts';
import type { DB } from '../store/schema.ts';
import { AlertsService } from './alerts/alerts.service.ts';
import { ContactsService } from './alerts/contacts.service.ts';
import { HealthService } from './core/health.service.ts';
import { IdempotencyService } from './core/idempotency.service.ts';
import { InternalEvents } from './core/internal-events.ts';
import { DeviceDirectory } from './devices/device-directory.ts';
import { DeviceNoticesService } from './devices/device-notices.service.ts';
import { DeviceRegionsService } from './devices/device-regions.service.ts';
import { InReachService } from './devices/inreach.service.ts';
import { MeshtasticService } from './devices/meshtastic.service.ts';
import { PositionsService } from './devices/positions.service.ts';
import { TakService } from './devices/tak.service.ts';
import { DetectionDrillsService } from './drills/detection-drills.service.ts';
import { DrillLive } from './drills/drill-live.ts';
import { DrillsService } from './drills/drills.service.ts';
import { IncidentsService } from './incidents/incidents.service.ts';
import { SubjectsService } from './incidents/subjects.service.ts';
import { LiveService } from './live/live.service.ts';
import { LiveBus } from './live/live-bus.ts';
import { PositionTicks } from './live/position-ticks.ts';
import { MessagesService } from './messages/messages.service.ts';
import { ActiveOperations } from './operations/active-operations.ts';
import { OperationsService } from './operations/operations.service.ts';
import { type PushOptions, PushService, pushSubject } from './push/push.service.ts';
import { HotWashService } from './replay/hotwash.service.ts';
import { ReplayService } from './replay/replay.service.ts';
import { ReportsService } from './replay/reports.service.ts';
import { DistanceRingsService } from './search/distance-rings.service.ts';
import { SearchService } from './search/search.service.ts';
import { SweepWidthsService } from './search/sweep-widths.service.ts';
import { MembersService, type PublicUrls } from './teams/members.service.ts';
import { RetentionService } from './teams/retention.service.ts';
import { SessionsService, signInLimits } from './teams/sessions.service.ts';
import { TeamsService } from './teams/teams.service.ts';
import { TokensService } from './teams/tokens.service.ts';
import { RecordsService } from './training/records.service.ts';
import { TrainingService } from './training/training.service.ts';
import { WebhooksService } from './webhooks/webhooks.service.ts';

export interface Services {
  db: Kysely<DB>;
  bus: LiveBus;
  batcher: PositionBatcher;
  tokens: TokensService;
  teams: TeamsService;
  members: MembersService;
  sessions: SessionsService;
  positions: PositionsService;
  live: LiveService;
  active: ActiveOperations;
  devices: DeviceDirectory;
  operations: OperationsService;
  alerts: AlertsService;
  contacts: ContactsService;
  /** Cross-service effects (typed internal events), wired here. */
  events: InternalEvents;
  incidents: IncidentsService;
  tak: TakService;
  meshtastic: MeshtasticService;
  inreach: InReachService;
  messages: MessagesService;
  regions: DeviceRegionsService;
  deviceNotices: DeviceNoticesService;
  drills: DrillsService;
  drillLive: DrillLive;
  detectionDrills: DetectionDrillsService;
  training: TrainingService;
  records: RecordsService;
  health: HealthService;
  replay: ReplayService;
  reports: ReportsService;
  hotWash: HotWashService;
  retention: RetentionService;
  subjects: SubjectsService;
  search: SearchService;
  sweepWidths: SweepWidthsService;
  distanceRings: DistanceRingsService;
  push: PushService;
  idempotency: IdempotencyService;
  ticks: PositionTicks;
  webhooks: WebhooksService;
}

/** Wires the use cases over one database; `urls` tells where phones and browsers reach this server. */
export function createServices(
  db: Kysely<DB>,
  urls: () => PublicUrls,
  now: () => Date = () => new Date(),
  opts: {
    signInsPerMinute?: number;
    push?: Partial<PushOptions>;
    /** Position batches committing at once: one on the embedded database, several on PostgreSQL's pool. */
    positionCommits?: number;
  } = {},
): Services {
  const bus = new LiveBus();
  // The WebSocket viewers' side of the bus: positions of a tick in one frame.
  const ticks = new PositionTicks(bus);
  const events = new InternalEvents();
  const batcher = new PositionBatcher(db, undefined, undefined, opts.positionCommits);
  const tokens = new TokensService(db, now);
  tokens.follow(bus);
  const teams = new TeamsService(db, bus, now);
  const devices = new DeviceDirectory(db, () => now().getTime());
  const members = new MembersService(db, bus, tokens, devices, urls, now);
  const sessions = new SessionsService(
    db,
    tokens,
    bus,
    () => urls().publicUrl,
    signInLimits(opts.signInsPerMinute),
    now,
  );
  const active = new ActiveOperations(db, () => now().getTime());
  const positions = new PositionsService(db, bus, batcher, devices, active, events, now);
  const operations = new OperationsService(db, bus, active, events, now);
  const alerts = new AlertsService(db, bus, active, operations, now);
  const contacts = new ContactsService(db, bus, active, now);
  const incidents = new IncidentsService(db, bus, active, alerts, now);
  const subjects = new SubjectsService(db, bus, now);
  const idempotency = new IdempotencyService(db, now);
  const webhooks = new WebhooksService(db, now);
  bus.subscribeAll((teamId, msg) => webhooks.onLive(teamId, msg));
  const push = new PushService(
    db,
    {
      allowedOrigins: opts.push?.allowedOrigins ?? [],
      // The VAPID subject: where a push service may reach the server's operator.
      subject: opts.push?.subject ?? (() => pushSubject(urls())),
      agent: opts.push?.agent,
      log: opts.push?.log,
    },
    now,
  );
  bus.subscribeAll((teamId, msg) => push.onLive(teamId, msg));
  const tak = new TakService(db, bus, devices, now);
  const meshtastic = new MeshtasticService(db, bus, devices, now);
  const messages = new MessagesService(db, bus, active, now);
  const inreach = new InReachService(db, devices, positions, alerts, messages, now);
  const regions = new DeviceRegionsService(db, now);
  const deviceNotices = new DeviceNoticesService(db, bus, active, alerts, now);
  const drills = new DrillsService(db, bus, operations, now);
  const drillLive = new DrillLive(db, drills, now);
  const training = new TrainingService(db, bus, now);
  const records = new RecordsService(db, now);
  const health = new HealthService(db);
  const live = new LiveService(db, teams, members, positions, operations, alerts, incidents);

  // Cross-service effects, in the order they run: the real alert first, then the roll call.
  events.on('incident.opened', (e) => alerts.onIncidentOpened(e));
  events.on('incident.opened', (e) => incidents.onIncidentOpened(e));
  events.on('incident.opened', (e) =>
    e.exerciseId
      ? drillLive.onSuspended(e.teamId, e.exerciseId, new Date(e.incident.startedAt ?? now()))
      : Promise.resolve(),
  );
  events.on('incident.closed', (e) => alerts.onOperationClosed(e.teamId, e.operationIds));
  events.on('exercise.ended', (e) => drillLive.onEnded(e.teamId, e.exercise));
  events.on('device.alarm', (e) => alerts.onDeviceAlarm(e));
  events.on('device.alarm', (e) => deviceNotices.onDeviceAlarm(e));
  events.assertWired();

  const replay = new ReplayService(db, now);
  return {
    db,
    bus,
    ticks,
    batcher,
    tokens,
    teams,
    members,
    sessions,
    positions,
    live,
    active,
    devices,
    operations,
    alerts,
    subjects,
    search: new SearchService(db, bus, now),
    sweepWidths: new SweepWidthsService(db, now),
    distanceRings: new DistanceRingsService(db, now),
    push,
    idempotency,
    webhooks,
    contacts,
    incidents,
    events,
    tak,
    meshtastic,
    inreach,
    messages,
    regions,
    deviceNotices,
    drills,
    drillLive,
    detectionDrills: new DetectionDrillsService(db, bus, operations, now),
    training,
    records,
    health,
    replay,
    reports: new ReportsService(db, replay, positions, now),
    hotWash: new HotWashService(db, now),
    retention: new RetentionService(db, now),
  };
}

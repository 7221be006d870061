import type { Socket } from 'node:net';
import { enrolmentCodeIn, type HeldEvents } from '../../services/devices/tak.service.ts';
import type { AdmissionTicket } from './admission.ts';
import type { BoundMember, DeviceBinder } from './binding.ts';
import { buildPong, buildProtocolDecline } from './build.ts';
import { CotFramer } from './framer.ts';
import type { CotInbound, InboundMessage } from './inbound.ts';
import type { CotLogger } from './logger.ts';
import { CotOutbound } from './outbound.ts';
import { parseCotEvent } from './parse.ts';
import type { CotServices } from './services.ts';

export interface SessionContext {
  services: CotServices;
  binder: DeviceBinder;
  held: HeldEvents;
  inbound: CotInbound;
  log: CotLogger;
  now: () => Date;
  maxEventBytes: number;
  /** A client that lets more than this pile up unread is dropped. */
  maxBufferedBytes: number;
  resendMs: number;
  idleTimeoutMs: number;
}

/** Events parsed but not yet handled, beyond which the socket stops being read. */
const MAX_QUEUED = 256;
/**
 * Positions of the bound member on their way to the database at once: a position does not wait for the one
 * before it to commit (they join the same group commit, in order); any other event waits for them all.
 */
const MAX_POSITIONS_IN_FLIGHT = 2048;
/** Enrolment codes an unbound connection may try: enough for typos, too few to guess one. */
const MAX_CODE_TRIES = 5;

export interface SessionOptions {
  /**
   * The device id a verified client certificate names (its CN): the connection binds to its owner at once.
   */
  certDevice?: string;
  /** Its slot among unidentified connections: told when the first whole event arrives and when it binds. */
  ticket?: AdmissionTicket;
}

/**
 * One TAK client's connection (TCP or TLS). Unbound until an event carries a uid registered as a member's
 * device, or a leader approves a uid it sent, or its client certificate names a device; then it speaks for
 * that device only, and receives its team's picture. Events are handled one at a time, in order.
 */
export class CotSession {
  private readonly framer: CotFramer;
  private readonly remote: string;
  private bound?: BoundMember;
  private outbound?: CotOutbound;
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  /** The bound member's positions handed on and not yet stored (see MAX_POSITIONS_IN_FLIGHT). */
  private readonly inFlight = new Set<Promise<void>>();
  /** Writes gathered while the socket is corked, flushed once the current I/O is done. */
  private corked = false;
  private closed = false;
  /** Bound by a client certificate: the client's own SA uid is adopted as its position's (first one seen). */
  private byCertificate = false;
  private selfUid?: string;
  /** Uids this connection sent while unbound, awaiting a leader's approval. */
  private readonly heldUids = new Set<string>();
  private readonly ticket?: AdmissionTicket;
  private codeTries = 0;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: SessionContext,
    private readonly onClose: (s: CotSession) => void,
    opts: SessionOptions = {},
  ) {
    this.framer = new CotFramer(ctx.maxEventBytes);
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.ticket = opts.ticket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.setTimeout(ctx.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => this.close('idle'));
    socket.on('error', (err) =>
      ctx.log.debug({ remote: this.remote, err: err.message }, 'cot: socket error'),
    );
    socket.on('close', () => this.close());
    const certDevice = opts.certDevice;
    if (certDevice) this.enqueue(() => this.bindCertificate(certDevice));
  }

  /**
   * A leader approved `uid` as a member's device: if this connection held it and is not bound yet, it binds
   * now, without the client reconnecting. True when it will.
   */
  approved(uid: string): boolean {
    if (this.closed || this.bound || !this.heldUids.has(uid)) return false;
    this.enqueue(async () => {
      if (this.bound) return;
      const member = await this.ctx.binder.resolve(uid);
      if (member) await this.bind(member);
    });
    return true;
  }

  /**
   * Device ids that stopped being credentials (the member was revoked or removed, or a leader rotated the
   * id): a connection speaking for one of them ends at once. True when this one did.
   */
  revoked(deviceIds: readonly string[]): boolean {
    if (this.closed || !this.bound || !deviceIds.includes(this.bound.deviceId)) return false;
    this.close('device id revoked');
    return true;
  }

  /**
   * The server is stopping: reads no more, finishes the events already received (their positions are
   * acknowledged to nobody, but they were sent), then ends the connection cleanly (FIN, not a reset).
   */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.socket.pause();
    await this.chain;
    await this.settled();
    if (this.closed) return;
    this.outbound?.stop();
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never closes its side does not hold the stop up.
      setTimeout(() => resolve(), 2000).unref();
    });
    this.close();
  }

  /** Ends the connection (idempotent). */
  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.outbound?.stop();
    this.releaseHeld();
    if (reason)
      this.ctx.log.info({ remote: this.remote, member: this.bound?.callsign, reason }, 'cot: closing');
    this.socket.destroy();
    this.onClose(this);
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.framer.push(chunk)) {
      if (frame.kind === 'dropped') {
        this.ctx.log.warn(
          { remote: this.remote, reason: frame.reason, bytes: frame.bytes },
          'cot: input dropped',
        );
        continue;
      }
      this.ticket?.heard();
      this.enqueue(() => this.handle(frame.xml));
    }
  }

  /** Runs `work` after everything queued before it; the socket stops being read while too much waits. */
  private enqueue(work: () => Promise<void>): void {
    this.queued++;
    if (this.queued > MAX_QUEUED) this.socket.pause();
    this.chain = this.chain
      .then(() => (this.closed ? undefined : work()))
      .catch((err: unknown) => this.ctx.log.error({ remote: this.remote, err }, 'cot: event failed'))
      .finally(() => {
        this.queued--;
        if (this.queued <= MAX_QUEUED / 2 && !this.closed && this.socket.isPaused()) this.socket.resume();
      });
  }

  private async bindCertificate(device: string): Promise<void> {
    const member = await this.ctx.binder.resolve(device);
    if (!member) {
      this.ctx.log.info(
        { remote: this.remote, cn: device },
        'cot: client certificate names no registered device; its uid will have to bind',
      );
      return;
    }
    this.byCertificate = true;
    await this.bind(member);
  }

  private releaseHeld(): void {
    for (const uid of this.heldUids) this.ctx.services.tak.connection(uid, -1);
    this.heldUids.clear();
  }

  /** Writes `xml`; what is written within one turn of the event loop leaves in one system call. */
  private send(xml: string): void {
    if (this.closed || !this.socket.writable) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        if (!this.socket.destroyed) this.socket.uncork();
      });
    }
    this.socket.write(xml);
    if (this.socket.writableLength > this.ctx.maxBufferedBytes) this.close('not reading: send buffer full');
  }

  /** Waits until every position handed on has been stored (or refused). */
  private async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Hands a position of the bound member on without waiting for it to commit; waits only when too many are. */
  private async pipeline(
    member: BoundMember,
    msg: Extract<InboundMessage, { kind: 'position' }>,
  ): Promise<void> {
    if (this.inFlight.size >= MAX_POSITIONS_IN_FLIGHT) await Promise.race(this.inFlight);
    const done: Promise<void> = this.ctx.inbound
      .handle(member, msg)
      .catch((err: unknown) => this.ctx.log.error({ remote: this.remote, err }, 'cot: position failed'))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async handle(xml: string): Promise<void> {
    const msg = parseCotEvent(xml);
    const log = this.ctx.log;
    const bound = this.bound;
    if (msg.kind === 'position' && bound && (msg.uid === bound.deviceId || msg.uid === this.selfUid))
      return this.pipeline(bound, msg);
    // Anything else (a ping too) comes after the positions before it.
    await this.settled();
    switch (msg.kind) {
      case 'invalid':
        log.warn(
          { remote: this.remote, uid: msg.uid, type: msg.type, reason: msg.reason },
          'cot: event refused',
        );
        return;
      case 'ignored':
        log.debug({ remote: this.remote, uid: msg.uid, type: msg.type }, 'cot: event ignored');
        return;
      case 'ping':
        this.send(buildPong(this.ctx.now()));
        return;
      case 'protocol':
        // Howl never offers TAK Protocol; a client asking anyway is told the stream stays XML.
        log.info(
          { remote: this.remote, step: msg.step, versions: msg.versions },
          'cot: protobuf declined, XML kept',
        );
        this.send(buildProtocolDecline(msg.uid, this.ctx.now()));
        return;
      default: {
        const member = await this.memberFor(msg);
        if (member) await this.ctx.inbound.handle(member, msg);
      }
    }
  }

  /** Who an event speaks for: the bound member, or the member its uid binds this connection to. */
  private async memberFor(msg: InboundMessage): Promise<BoundMember | undefined> {
    const claim =
      msg.kind === 'position'
        ? msg.uid
        : msg.kind === 'emergency' || msg.kind === 'chat'
          ? msg.senderUid
          : undefined;
    const bound = this.bound;
    if (bound) {
      if (claim === undefined || claim === bound.deviceId || claim === this.selfUid) return bound;
      const other = await this.ctx.binder.resolve(claim);
      if (other && other.memberId !== bound.memberId) {
        this.ctx.log.warn(
          { remote: this.remote, uid: claim, boundTo: bound.deviceId },
          'cot: refused: this connection speaks for another device',
        );
        return undefined;
      }
      if (msg.kind === 'chat') {
        // A GeoChat names its sender: one from a device nobody registered is nobody's message.
        this.ctx.log.warn(
          { remote: this.remote, uid: claim, boundTo: bound.deviceId },
          'cot: GeoChat not relayed: its sender is not the device this connection speaks for',
        );
        return undefined;
      }
      // An emergency under a phone-number uid is still the bound device's; a friendly marker the user
      // placed (a-f with its own uid) is not a position of anyone.
      if (msg.kind === 'position' && this.byCertificate && !other && !this.selfUid && msg.group) {
        // The certificate named the device; its own SA (the one with a team colour) may use another uid.
        this.selfUid = claim;
        this.ctx.log.info({ remote: this.remote, uid: claim, member: bound.callsign }, 'cot: SA uid adopted');
        return bound;
      }
      if (msg.kind === 'position') {
        this.ctx.log.debug({ remote: this.remote, uid: claim }, 'cot: friendly marker ignored');
        return undefined;
      }
      return bound;
    }
    const member = claim ? await this.ctx.binder.resolve(claim) : undefined;
    if (!member) {
      const uid = claim ?? msg.uid;
      // The SA callsign names the device; an alarm's is `<callsign>-Alert`, a marker's the marker's.
      const callsign = msg.kind === 'position' ? msg.callsign : undefined;
      const position =
        msg.kind === 'position' ? { lat: msg.point.lat, lon: msg.point.lon, time: msg.time } : undefined;
      const teamId = msg.kind === 'chat' && claim ? this.enrolment(claim, msg.text) : undefined;
      const first = this.ctx.held.hold(
        { uid, type: msg.type, callsign, remote: this.remote, position, teamId },
        this.ctx.now(),
      );
      if (!this.heldUids.has(uid)) {
        this.heldUids.add(uid);
        this.ctx.services.tak.connection(uid, 1);
      }
      if (first)
        this.ctx.log.info(
          { remote: this.remote, uid, callsign: msg.callsign },
          'cot: unknown uid, events held (register it with `howl member add --device UID`)',
        );
      return undefined;
    }
    await this.bind(member);
    return this.closed ? undefined : member;
  }

  /**
   * A GeoChat from an unknown uid that is a team's enrolment code (shown to that team's leaders) puts the uid
   * on that team's list of TAK devices waiting, and on no other.
   */
  private enrolment(uid: string, text: string): string | undefined {
    const code = enrolmentCodeIn(text);
    if (!code) return undefined;
    if (this.codeTries >= MAX_CODE_TRIES) {
      this.ctx.log.debug({ remote: this.remote, uid }, 'cot: enrolment code ignored: too many tries');
      return undefined;
    }
    this.codeTries++;
    const teamId = this.ctx.services.tak.claim(code);
    if (teamId)
      this.ctx.log.info(
        { remote: this.remote, uid, teamId },
        'cot: enrolment code accepted, uid waits for its team',
      );
    else
      this.ctx.log.debug({ remote: this.remote, uid, tries: this.codeTries }, 'cot: enrolment code unknown');
    return teamId;
  }

  private async bind(member: BoundMember): Promise<void> {
    this.bound = member;
    this.ticket?.identified();
    this.ctx.held.forget(member.deviceId);
    this.releaseHeld();
    this.ctx.log.info(
      { remote: this.remote, uid: member.deviceId, member: member.callsign },
      'cot: client bound',
    );
    this.outbound = new CotOutbound({
      services: this.ctx.services,
      member,
      send: (xml) => this.send(xml),
      close: (reason) => this.close(reason),
      log: this.ctx.log,
      now: this.ctx.now,
      resendMs: this.ctx.resendMs,
    });
    try {
      await this.outbound.start();
    } catch (err) {
      // Half a team picture would mislead: the client reconnects and tries again.
      this.ctx.log.error({ remote: this.remote, err }, 'cot: could not load the team picture');
      this.close('team picture unavailable');
    }
  }
}

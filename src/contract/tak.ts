import { z } from 'zod';
import { DeviceId, Id, Latitude, Longitude } from './common.ts';

/**
 * A TAK client whose uid no member owns: its events are held (never stored) until a leader binds it. Listed
 * only to the team whose enrolment code it sent.
 */
export const TakPendingDevice = z.object({
  uid: z.string().describe('the TAK client uid (e.g. ANDROID-…), the device id once approved'),
  callsign: z.string().nullable().describe('the callsign the client announced, if any'),
  type: z.string().describe('CoT type of the last event held'),
  remote: z.string().describe('address:port the client connected from'),
  firstAt: z.string().describe('first event held (ISO 8601)'),
  lastAt: z.string().describe('last event held (ISO 8601)'),
  count: z.number().int().describe('events held so far'),
  lastPosition: z
    .object({ lat: Latitude, lon: Longitude, time: z.string() })
    .nullable()
    .describe('where its last position report put it'),
  connected: z.boolean().describe('a connection that sent this uid is still open'),
});
export type TakPendingDevice = z.infer<typeof TakPendingDevice>;

export const TakPendingList = z.object({ devices: z.array(TakPendingDevice) });
export type TakPendingList = z.infer<typeof TakPendingList>;

export const TakUidParams = z.object({ uid: DeviceId.describe('the held TAK uid') });

/** What puts a TAK client on one team's list: its user sends the code as a GeoChat message. */
export const TakEnrolment = z.object({
  code: z
    .string()
    .describe("the team's enrolment code: a TAK client that sends it in a GeoChat waits on this team's list"),
  expiresAt: z.string().describe('when the code stops being accepted (ISO 8601); a new one comes before'),
});
export type TakEnrolment = z.infer<typeof TakEnrolment>;

export const TakApproveBody = z.object({
  memberId: Id.describe('the member of your team this TAK client reports for'),
});
export type TakApproveBody = z.infer<typeof TakApproveBody>;

export const TakApproved = z.object({
  uid: z.string(),
  memberId: z.string(),
  callsign: z.string(),
  connections: z.number().int().describe('open TAK connections now speaking for the member'),
});
export type TakApproved = z.infer<typeof TakApproved>;

/** How a TAK client reaches this server, for the console's onboarding dialog. */
export const TakConnectionInfo = z.object({
  host: z.string(),
  tcpPort: z.number().int(),
  tlsPort: z.number().int().nullable().describe('null when the TLS listener is off'),
  clientCertificates: z
    .boolean()
    .describe('the TLS listener asks for client certificates (HOWL_COT_TLS_CA is set)'),
  quickConnect: z.string().describe("iTAK's quick-connect text: description,host,port,protocol"),
  quickConnectQr: z.string().describe('SVG of the quick-connect text'),
  packageUrl: z.string().describe('data package (plain TCP), for the console to download'),
  tlsPackageUrl: z.string().nullable().describe('data package with the TLS connection and truststore'),
  truststorePassword: z.string().nullable().describe('password of the truststore in the TLS package'),
});
export type TakConnectionInfo = z.infer<typeof TakConnectionInfo>;

export const TakPackageQuery = z.object({
  tls: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .describe('1: connect over TLS (port 8089) and carry a truststore with the server certificate'),
});

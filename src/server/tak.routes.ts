import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HowlError } from '../contract/errors.ts';
import {
  TakApproveBody,
  TakApproved,
  TakConnectionInfo,
  TakEnrolment,
  TakPackageQuery,
  TakPendingList,
  TakUidParams,
} from '../contract/tak.ts';
import { pkcs12Truststore } from '../formats/pkcs12.ts';
import { takDataPackage } from '../formats/tak-data-package.ts';
import type { AppDeps } from './deps.ts';

/** The Cursor-on-Target port when the server does not say (HOWL_COT_PORT's default). */
export const DEFAULT_COT_PORT = 8087;
/** The password of the truststore in the TLS data package: it guards a public certificate, not a secret. */
export const TRUSTSTORE_PASSWORD = 'atakatak';
const DESCRIPTION = 'Howl';

export const takRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { tak } = d.services;
    // Phones reach the gateway on the host they reach the console on.
    const host = () => new URL(d.clientConfig().publicUrl).hostname.replace(/^\[(.*)\]$/, '$1');
    // The plain port as the app was told it (start passes the gateway's); the TLS one as the gateway reports it.
    const tcpPort = () => d.cotPort ?? DEFAULT_COT_PORT;

    app.get(
      '/api/tak/package.zip',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['tak'],
          summary: 'ATAK data package that connects a TAK client to this server (leader)',
          querystring: TakPackageQuery,
          produces: ['application/zip'],
        },
      },
      async (req, reply) => {
        let zip: Buffer;
        if (req.query.tls) {
          const gw = tak.listening();
          if (!gw?.tlsPort || !gw.certPem)
            throw new HowlError(409, 'tls_off', 'tls: the TAK TLS listener is off on this server', {
              field: 'tls',
            });
          const truststore = pkcs12Truststore({ certsPem: gw.certPem, password: TRUSTSTORE_PASSWORD });
          zip = takDataPackage({
            host: host(),
            port: gw.tlsPort,
            description: `${DESCRIPTION} (TLS)`,
            tls: { truststore, password: TRUSTSTORE_PASSWORD },
          });
        } else {
          zip = takDataPackage({ host: host(), port: tcpPort(), description: DESCRIPTION });
        }
        const name = req.query.tls ? 'howl-tak-tls.zip' : 'howl-tak.zip';
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(zip);
      },
    );

    app.get(
      '/api/tak/connection',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['tak'],
          summary: 'How TAK clients connect to this server: host, ports, quick-connect QR (leader)',
          response: { 200: TakConnectionInfo },
        },
      },
      async () => {
        const gw = tak.listening();
        const tlsPort = gw?.tlsPort ?? null;
        // iTAK's quick connect: description,host,port,protocol. ATAK takes the data package instead.
        const quickConnect = `${DESCRIPTION},${host()},${tcpPort()},tcp`;
        return {
          host: host(),
          tcpPort: tcpPort(),
          tlsPort,
          clientCertificates: gw?.clientCertificates ?? false,
          quickConnect,
          quickConnectQr: await (await import('qrcode')).default.toString(quickConnect, {
            type: 'svg',
            margin: 1,
            errorCorrectionLevel: 'M',
          }),
          packageUrl: '/api/tak/package.zip',
          tlsPackageUrl: tlsPort && gw?.certPem ? '/api/tak/package.zip?tls=1' : null,
          truststorePassword: tlsPort ? TRUSTSTORE_PASSWORD : null,
        };
      },
    );

    app.get(
      '/api/tak/enrolment',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['tak'],
          summary:
            "The team's enrolment code: a TAK client that sends it in a GeoChat waits on this team's list (leader)",
          response: { 200: TakEnrolment },
        },
      },
      async (req) => {
        const { auth } = req;
        return tak.enrolment(auth, auth.teamId);
      },
    );

    app.get(
      '/api/tak/pending',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['tak'],
          summary: 'TAK clients that sent your enrolment code, waiting for approval (leader)',
          response: { 200: TakPendingList },
        },
      },
      async (req) => {
        const { auth } = req;
        return { devices: tak.list(auth, auth.teamId) };
      },
    );

    app.post(
      '/api/tak/pending/:uid/approve',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['tak'],
          summary:
            'Bind a TAK uid to a member of your team as their device: one on your list, or one read off the device (leader)',
          params: TakUidParams,
          body: TakApproveBody,
          response: { 200: TakApproved },
        },
      },
      async (req) => {
        const { auth } = req;
        return tak.approve(auth, auth.teamId, req.params.uid, req.body.memberId);
      },
    );

    app.delete(
      '/api/tak/pending/:uid',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['tak'],
          summary: 'Dismiss a waiting TAK uid (leader)',
          params: TakUidParams,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        tak.dismiss(auth, auth.teamId, req.params.uid);
        return reply.status(204).send();
      },
    );
  };

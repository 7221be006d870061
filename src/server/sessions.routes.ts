import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LinkLoginBody, Me, PasswordLoginBody, SetPasswordBody } from '../contract/sessions.ts';
import type { AppDeps } from './deps.ts';
import { SESSION_COOKIE } from './request-auth.ts';

export const authRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { sessions } = d.services;
    const setSession = (reply: FastifyReply, session: string) =>
      reply.setCookie(SESSION_COOKIE, session, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: d.secureCookies,
        maxAge: 30 * 24 * 3600,
      });

    app.post(
      '/api/auth/link',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a single-use login link',
          body: LinkLoginBody,
          response: { 200: Me },
        },
      },
      async (req, reply) => {
        const { session, me } = await sessions.loginWithLink(req.body.code, req.ip);
        setSession(reply, session);
        return me;
      },
    );
    app.post(
      '/api/auth/login',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with callsign and password',
          body: PasswordLoginBody,
          response: { 200: Me },
        },
      },
      async (req, reply) => {
        const { session, me } = await sessions.loginWithPassword(
          req.body.callsign,
          req.body.password,
          req.body.team,
          req.ip,
        );
        setSession(reply, session);
        return me;
      },
    );
    app.post(
      '/api/auth/logout',
      { config: { auth: 'none' }, schema: { tags: ['auth'], summary: 'Sign out' } },
      async (req, reply) => {
        const session = req.cookies[SESSION_COOKIE];
        if (session) await sessions.logout(session);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/auth/password',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['auth'],
          summary: 'Set your password',
          body: SetPasswordBody,
          response: { 200: Me },
        },
      },
      async (req) => sessions.setPassword(req.auth, req.body.password, req.body.currentPassword),
    );
    app.get(
      '/api/me',
      { config: { auth: 'member' }, schema: { tags: ['auth'], summary: 'Who am I', response: { 200: Me } } },
      async (req) => sessions.me(req.auth),
    );
  };

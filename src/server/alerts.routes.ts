import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  Alert,
  AlertList,
  AlertParams,
  CancelAlertBody,
  ContactReportBody,
  RaiseSosBody,
} from '../contract/alerts.ts';
import { Contact, ContactList, ContactParams, UpdateContactBody } from '../contract/incidents.ts';
import type { AppDeps } from './deps.ts';

export const alertsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { alerts } = d.services;
    const tags = ['alerts'];
    app.get(
      '/api/alerts',
      {
        schema: {
          tags,
          summary: "The team's alerts, active first: type, mode, sender, time, position, acknowledgements",
          response: { 200: AlertList },
        },
      },
      async (req) => {
        const auth = await d.auth.member(req);
        return { alerts: await alerts.list(auth, auth.teamId) };
      },
    );
    app.post(
      '/api/alerts/sos',
      {
        schema: {
          tags,
          summary: 'Howl: an SOS from you, always real (opens an incident when none is open)',
          body: RaiseSosBody,
          response: { 201: Alert },
        },
      },
      async (req, reply) => {
        const auth = await d.auth.member(req);
        return reply.status(201).send(await alerts.raiseSos(auth, auth.teamId, req.body));
      },
    );
    app.post(
      '/api/alerts/contact',
      {
        schema: {
          tags,
          summary: 'Report hostiles: an alert and a map marker (exercise traffic while an exercise runs)',
          body: ContactReportBody,
          response: { 201: Alert },
        },
      },
      async (req, reply) => {
        const auth = await d.auth.member(req);
        return reply.status(201).send(await alerts.reportContact(auth, auth.teamId, req.body));
      },
    );
    app.post(
      '/api/alerts/:alertId/ack',
      {
        schema: {
          tags,
          summary: 'Acknowledge an alert, for yourself (again: no change)',
          params: AlertParams,
          response: { 200: Alert },
        },
      },
      async (req) => {
        const auth = await d.auth.member(req);
        return alerts.acknowledge(auth, req.params.alertId);
      },
    );
    app.post(
      '/api/alerts/:alertId/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel an alert as a false alarm, visibly to everyone (its sender or a leader)',
          params: AlertParams,
          body: CancelAlertBody.nullish(),
          response: { 200: Alert },
        },
      },
      async (req) => {
        const auth = await d.auth.member(req);
        return alerts.cancel(auth, auth.teamId, req.params.alertId, req.body?.reason);
      },
    );
    app.get(
      '/api/contacts',
      { schema: { tags, summary: "The team's hostile contacts", response: { 200: ContactList } } },
      async (req) => {
        const auth = await d.auth.member(req);
        return { contacts: await alerts.contacts(auth, auth.teamId) };
      },
    );
    app.patch(
      '/api/contacts/:contactId',
      {
        schema: {
          tags,
          summary: 'Update a hostile contact as reports come in (e.g. three of six withdrawing)',
          params: ContactParams,
          body: UpdateContactBody,
          response: { 200: Contact },
        },
      },
      async (req) => {
        const auth = await d.auth.member(req);
        return alerts.updateContact(auth, auth.teamId, req.params.contactId, req.body);
      },
    );
  };

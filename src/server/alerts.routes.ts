import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AcknowledgeAlertsBody,
  AcknowledgedAlerts,
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
    const { alerts, contacts } = d.services;
    const tags = ['alerts'];
    app.get(
      '/api/alerts',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's alerts, active first: type, mode, sender, time, position, acknowledgements",
          response: { 200: AlertList },
        },
      },
      async (req) => {
        const { auth } = req;
        return { alerts: await alerts.list(auth, auth.teamId) };
      },
    );
    app.post(
      '/api/alerts/sos',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Howl: an SOS from you, always real (opens an incident when none is open)',
          body: RaiseSosBody,
          response: { 201: Alert },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await alerts.raiseSos(auth, auth.teamId, req.body));
      },
    );
    app.post(
      '/api/alerts/contact',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Report hostiles: an alert and a map marker (exercise traffic while an exercise runs)',
          body: ContactReportBody,
          response: { 201: Alert },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await contacts.report(auth, auth.teamId, req.body));
      },
    );
    app.post(
      '/api/alerts/:alertId/ack',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Acknowledge an alert, for yourself (again: no change)',
          params: AlertParams,
          response: { 200: Alert },
        },
      },
      async (req) => {
        const { auth } = req;
        return alerts.acknowledge(auth, req.params.alertId);
      },
    );
    app.post(
      '/api/alerts/ack',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Acknowledge several alerts at once, for yourself: a group with one acknowledgement',
          body: AcknowledgeAlertsBody,
          response: { 200: AcknowledgedAlerts },
        },
      },
      async (req) => {
        const { auth } = req;
        return { alerts: await alerts.acknowledgeMany(auth, req.body.alertIds) };
      },
    );
    app.post(
      '/api/alerts/:alertId/cancel',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Cancel an alert as a false alarm, visibly to everyone (its sender or a leader)',
          params: AlertParams,
          body: CancelAlertBody.nullish(),
          response: { 200: Alert },
        },
      },
      async (req) => {
        const { auth } = req;
        return alerts.cancel(auth, auth.teamId, req.params.alertId, req.body?.reason);
      },
    );
    app.get(
      '/api/contacts',
      {
        config: { auth: 'member' },
        schema: { tags, summary: "The team's hostile contacts", response: { 200: ContactList } },
      },
      async (req) => {
        const { auth } = req;
        return { contacts: await contacts.list(auth, auth.teamId) };
      },
    );
    app.patch(
      '/api/contacts/:contactId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Update a hostile contact as reports come in (e.g. three of six withdrawing)',
          params: ContactParams,
          body: UpdateContactBody,
          response: { 200: Contact },
        },
      },
      async (req) => {
        const { auth } = req;
        return contacts.update(auth, auth.teamId, req.params.contactId, req.body);
      },
    );
  };

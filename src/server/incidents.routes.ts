import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import {
  AnswerRollCallBody,
  CalloutResponse,
  CalloutResponseBody,
  Casualty,
  CasualtyBody,
  CasualtyParams,
  IncidentBoard,
  RollCall,
  Subject,
  SubjectBody,
  SubjectList,
  SubjectParams,
  SubjectQuery,
  UpdateCasualtyBody,
  UpdateSubjectBody,
} from '../contract/incidents.ts';
import type { AppDeps } from './deps.ts';

export const incidentRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { incidents } = d.services;
    const tags = ['incident'];
    app.get(
      '/api/incident',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Roll call, casualties, contacts and callout answers of the active operation',
          response: { 200: IncidentBoard },
        },
      },
      async (req) => {
        const { auth } = req;
        return incidents.activeBoard(auth, auth.teamId);
      },
    );
    app.post(
      '/api/rollcalls',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Start a roll call of the open incident (leader)',
          response: { 201: RollCall },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await incidents.startRollCall(auth, auth.teamId));
      },
    );
    app.post(
      '/api/rollcalls/answer',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            'Answer the roll call for yourself, or report another member (missing raises a real alert)',
          body: AnswerRollCallBody,
          response: { 200: RollCall },
        },
      },
      async (req) => {
        const { auth } = req;
        return incidents.answerRollCall(auth, auth.teamId, req.body);
      },
    );
    app.post(
      '/api/casualties',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Record a casualty of the active operation',
          body: CasualtyBody,
          response: { 201: Casualty },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await incidents.addCasualty(auth, auth.teamId, req.body));
      },
    );
    app.get(
      '/api/subjects',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Who is being searched for: the subjects of an operation (default: the active one)',
          querystring: SubjectQuery,
          response: { 200: SubjectList },
        },
      },
      async (req) => {
        const { auth } = req;
        return { subjects: await d.services.subjects.list(auth, auth.teamId, req.query.operationId) };
      },
    );
    app.post(
      '/api/subjects',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Record the subject of a search (a person who is not a member) in the active operation',
          body: SubjectBody,
          response: { 201: Subject, 400: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await d.services.subjects.add(auth, auth.teamId, req.body));
      },
    );
    app.patch(
      '/api/subjects/:subjectId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "Change a subject's status, description or last known position",
          params: SubjectParams,
          body: UpdateSubjectBody,
          response: { 200: Subject, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const { auth } = req;
        return d.services.subjects.update(auth, auth.teamId, req.params.subjectId, req.body);
      },
    );
    app.patch(
      '/api/casualties/:casualtyId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Change triage or injuries, add a care log entry, mark evacuated or recovered',
          params: CasualtyParams,
          body: UpdateCasualtyBody,
          response: { 200: Casualty },
        },
      },
      async (req) => {
        const { auth } = req;
        return incidents.updateCasualty(auth, auth.teamId, req.params.casualtyId, req.body);
      },
    );
    app.post(
      '/api/callout/response',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Answer a callout: responding (with an ETA), arrived or unavailable',
          body: CalloutResponseBody,
          response: { 200: CalloutResponse },
        },
      },
      async (req) => {
        const { auth } = req;
        return incidents.respondToCallout(auth, auth.teamId, req.body);
      },
    );
  };

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import {
  CalloutBody,
  CloseIncidentBody,
  CreateExerciseBody,
  EscalateBody,
  InjectParams,
  Operation,
  OperationActionBody,
  OperationList,
  OperationParams,
  UpdateExerciseBody,
} from '../contract/operations.ts';
import type { AppDeps } from './deps.ts';

export const operationsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { operations } = d.services;
    const tags = ['operations'];
    app.get(
      '/api/operations',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's operations, newest first, and the active one",
          response: { 200: OperationList },
        },
      },
      async (req) => {
        const { auth } = req;
        return operations.list(auth, auth.teamId);
      },
    );
    app.get(
      '/api/operations/:operationId',
      {
        config: { auth: 'member' },
        schema: { tags, summary: 'One operation', params: OperationParams, response: { 200: Operation } },
      },
      async (req) => {
        const { auth } = req;
        return operations.get(auth, auth.teamId, req.params.operationId);
      },
    );
    app.post(
      '/api/operations',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Plan an exercise (leader)',
          body: CreateExerciseBody,
          response: { 201: Operation },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await operations.createExercise(auth, auth.teamId, req.body));
      },
    );
    app.patch(
      '/api/operations/:operationId',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Change a planned exercise: name, scenario, area, participants, injects (leader)',
          params: OperationParams,
          body: UpdateExerciseBody,
          response: { 200: Operation, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => {
        const { auth } = req;
        return operations.edit(auth, auth.teamId, req.params.operationId, req.body);
      },
    );
    app.post(
      '/api/operations/:operationId/injects/:injectId/send',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Send an inject now, ahead of its time (leader or controller, running exercise)',
          params: InjectParams,
          response: { 200: Operation, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => {
        const { auth } = req;
        return operations.sendInject(auth, auth.teamId, req.params.operationId, req.params.injectId);
      },
    );
    app.post(
      '/api/operations/:operationId/actions',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'STARTEX, safety time-out (anyone), resume, ENDEX',
          params: OperationParams,
          body: OperationActionBody,
          response: { 200: Operation },
        },
      },
      async (req) => {
        const { auth } = req;
        return operations.act(auth, auth.teamId, req.params.operationId, req.body.action);
      },
    );
    app.post(
      '/api/escalate',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'This is not practice anymore: open a real incident (any member)',
          body: EscalateBody,
          response: { 201: Operation },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply
          .status(201)
          .send(await operations.escalate(auth, auth.teamId, req.body.reason, req.body.position));
      },
    );
    app.post(
      '/api/callouts',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Call the team out to a real incident (leader)',
          body: CalloutBody,
          response: { 201: Operation },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const b = req.body;
        return reply
          .status(201)
          .send(await operations.callout(auth, auth.teamId, b.name, b.reason, b.position));
      },
    );
    app.post(
      '/api/operations/:operationId/close',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Close a real incident (leader): everyone accounted for, or an override reason',
          params: OperationParams,
          body: CloseIncidentBody,
          response: { 200: Operation },
        },
      },
      async (req) => {
        const { auth } = req;
        return operations.close(
          auth,
          auth.teamId,
          req.params.operationId,
          req.body.summary,
          req.body.override,
        );
      },
    );
  };

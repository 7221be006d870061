import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import {
  AssignmentBody,
  AssignmentParams,
  EndAssignmentBody,
  OperationSearchParams,
  PoaBody,
  SearchPlan,
  SearchSegment,
  SegmentBody,
  SegmentParams,
  SortieParams,
  SweepWidth,
  SweepWidthBody,
  SweepWidthList,
  UpdateSegmentBody,
} from '../contract/search.ts';
import type { AppDeps } from './deps.ts';

/** Search planning: segments, POA, assignments, and coverage and POD from the tracks walked. */
export const searchRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { search, sweepWidths } = d.services;
    const tags = ['search'];
    const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
    app.get(
      '/api/operations/:operationId/search',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            "An operation's search: segments, POA, assignments, coverage, POD, POS and the updated POA",
          params: OperationSearchParams,
          response: { 200: SearchPlan, 404: ErrorBody },
        },
      },
      async (req) => search.plan(req.auth, req.auth.teamId, req.params.operationId),
    );
    app.post(
      '/api/operations/:operationId/search/segments',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Draw a segment (a polygon) in an operation (leader)',
          params: OperationSearchParams,
          body: SegmentBody,
          response: { 201: SearchSegment, ...errors },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await search.addSegment(req.auth, req.auth.teamId, req.params.operationId, req.body)),
    );
    app.patch(
      '/api/search/segments/:segmentId',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Rename a segment or change its polygon (leader)',
          params: SegmentParams,
          body: UpdateSegmentBody,
          response: { 200: SearchSegment, ...errors },
        },
      },
      async (req) => search.updateSegment(req.auth, req.auth.teamId, req.params.segmentId, req.body),
    );
    app.put(
      '/api/operations/:operationId/search/poa',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Set the probability of area: by hand, or by consensus of planners (leader)',
          params: OperationSearchParams,
          body: PoaBody,
          response: { 200: SearchPlan, ...errors },
        },
      },
      async (req) => search.setPoa(req.auth, req.auth.teamId, req.params.operationId, req.body),
    );
    app.post(
      '/api/operations/:operationId/search/assignments',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Send members or K9s to search a segment in a sortie, with their sweep width (leader)',
          params: OperationSearchParams,
          body: AssignmentBody,
          response: { 201: SearchPlan, ...errors },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await search.assign(req.auth, req.auth.teamId, req.params.operationId, req.body)),
    );
    app.post(
      '/api/search/assignments/:assignmentId/end',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary:
            'End an assignment: what the member walks afterwards is not a search of the segment (leader)',
          params: AssignmentParams,
          body: EndAssignmentBody.optional(),
          response: { 200: SearchPlan, ...errors },
        },
      },
      async (req) => search.endAssignment(req.auth, req.auth.teamId, req.params.assignmentId, req.body ?? {}),
    );
    app.post(
      '/api/search/segments/:segmentId/sorties/:sortie/end',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'End a sortie of a segment: every searcher of it still out is called back (leader)',
          params: SortieParams,
          body: EndAssignmentBody.optional(),
          response: { 200: SearchPlan, ...errors },
        },
      },
      async (req) =>
        search.endSortie(req.auth, req.auth.teamId, req.params.segmentId, req.params.sortie, req.body ?? {}),
    );
    app.get(
      '/api/search/sweep-widths',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's sweep width per resource type",
          response: { 200: SweepWidthList },
        },
      },
      async (req) => ({ sweepWidths: await sweepWidths.list(req.auth, req.auth.teamId) }),
    );
    app.put(
      '/api/search/sweep-widths',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Set a resource type’s sweep width by hand, or fit it from a detection drill (leader)',
          body: SweepWidthBody,
          response: { 200: SweepWidth, 400: ErrorBody },
        },
      },
      async (req) => sweepWidths.set(req.auth, req.auth.teamId, req.body),
    );
  };

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateDetectionDrillBody,
  DetectionDrill,
  DetectionDrillList,
  DetectionDrillParams,
  DetectionSheet,
  RecordFindBody,
  ReplaceObjectsBody,
} from '../contract/detection-drills.ts';
import type { AppDeps } from './deps.ts';

const tags = ['detection drills'];

export const detectionDrillsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { detectionDrills } = d.services;
    app.post(
      '/api/detection-drills',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary:
            'Plan a detection drill: searchers, placed objects, the resource type it measures (leader)',
          body: CreateDetectionDrillBody,
          response: { 201: DetectionDrill },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await detectionDrills.create(auth, auth.teamId, req.body));
      },
    );
    app.get(
      '/api/detection-drills',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's detection drills, newest first",
          response: { 200: DetectionDrillList },
        },
      },
      async (req) => {
        const { auth } = req;
        return detectionDrills.list(auth, auth.teamId);
      },
    );
    app.get(
      '/api/detection-drills/:drillId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            'One detection drill: objects, records, lateral ranges and the fitted sweep width (searchers after ENDEX)',
          params: DetectionDrillParams,
          response: { 200: DetectionDrill },
        },
      },
      async (req) => {
        const { auth } = req;
        return detectionDrills.get(auth, auth.teamId, req.params.drillId);
      },
    );
    app.put(
      '/api/detection-drills/:drillId/objects',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary:
            'Replace the placed objects until ENDEX (leader); an object given with its id keeps its records',
          params: DetectionDrillParams,
          body: ReplaceObjectsBody,
          response: { 200: DetectionDrill },
        },
      },
      async (req) => {
        const { auth } = req;
        return detectionDrills.replaceObjects(auth, auth.teamId, req.params.drillId, req.body);
      },
    );
    app.post(
      '/api/detection-drills/:drillId/records',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            'Record whether a searcher found an object (the searcher, a leader or a controller), from STARTEX on',
          params: DetectionDrillParams,
          body: RecordFindBody,
          response: { 200: DetectionSheet },
        },
      },
      async (req) => {
        const { auth } = req;
        return detectionDrills.record(auth, auth.teamId, req.params.drillId, req.body);
      },
    );
    app.get(
      '/api/detection-drills/:drillId/sheet',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            "The caller's sheet as a searcher: the objects' labels (not where they are) and what was found",
          params: DetectionDrillParams,
          response: { 200: DetectionSheet },
        },
      },
      async (req) => {
        const { auth } = req;
        return detectionDrills.sheet(auth, auth.teamId, req.params.drillId);
      },
    );
  };

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MemberParams } from '../contract/members.ts';
import {
  AddQualificationBody,
  AttendanceBody,
  CreateSkillBody,
  CreateTrainingSessionBody,
  HoursQuery,
  MemberRecord,
  Qualification,
  QualificationParams,
  Readiness,
  Skill,
  SkillList,
  SkillParams,
  TrainingSession,
  TrainingSessionList,
  TrainingSessionParams,
  TrainingSessionQuery,
  UpdateSkillBody,
  UpdateTrainingSessionBody,
} from '../contract/training.ts';
import type { AppDeps } from './deps.ts';

/** Skills catalogue, qualifications, members' records, team readiness with hours, and the training calendar. */
export const trainingRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { training, records } = d.services;
    const tags = ['training'];
    app.get(
      '/api/skills',
      {
        config: { auth: 'member' },
        schema: { tags, summary: "The team's skills catalogue", response: { 200: SkillList } },
      },
      async (req) => {
        const { auth } = req;
        return { skills: await training.skills(auth, auth.teamId) };
      },
    );
    app.post(
      '/api/skills',
      {
        config: { auth: 'leader' },
        schema: { tags, summary: 'Add a skill (leader)', body: CreateSkillBody, response: { 201: Skill } },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await training.createSkill(auth, auth.teamId, req.body));
      },
    );
    app.patch(
      '/api/skills/:skillId',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Rename a skill, make it required, change its validity (leader)',
          params: SkillParams,
          body: UpdateSkillBody,
          response: { 200: Skill },
        },
      },
      async (req) => {
        const { auth } = req;
        return training.updateSkill(auth, auth.teamId, req.params.skillId, req.body);
      },
    );
    app.delete(
      '/api/skills/:skillId',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Archive a skill; sign-offs in it stay stored (leader)',
          params: SkillParams,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        await training.archiveSkill(auth, auth.teamId, req.params.skillId);
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/members/:memberId/qualifications',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: "Sign off a member's qualification in a skill (leader: the instructor)",
          params: MemberParams,
          body: AddQualificationBody,
          response: { 201: Qualification },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const q = await training.addQualification(auth, auth.teamId, req.params.memberId, req.body);
        return reply.status(201).send(q);
      },
    );
    app.delete(
      '/api/qualifications/:qualificationId',
      {
        config: { auth: 'leader' },
        schema: { tags, summary: 'Revoke a qualification (leader)', params: QualificationParams },
      },
      async (req, reply) => {
        const { auth } = req;
        await training.revokeQualification(auth, auth.teamId, req.params.qualificationId);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/members/:memberId/record',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            "A member's training record: field-ready, qualifications, attended, hours, skills (own; leader: any)",
          params: MemberParams,
          response: { 200: MemberRecord },
        },
      },
      async (req) => {
        const { auth } = req;
        return records.record(auth, auth.teamId, req.params.memberId);
      },
    );
    app.get(
      '/api/readiness',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary:
            'Who is qualified for what, what expires within 30 days, hours per member per month (leader)',
          querystring: HoursQuery,
          response: { 200: Readiness },
        },
      },
      async (req) => {
        const { auth } = req;
        return records.readiness(auth, auth.teamId, req.query);
      },
    );
    app.get(
      '/api/readiness/hours.csv',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Hours per member per month as CSV: member,callsign,YYYY-MM,…,total (leader)',
          querystring: HoursQuery,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const { csv, from, to } = await records.hoursCsv(auth, auth.teamId, req.query);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="howl-hours-${from}-to-${to}.csv"`)
          .send(csv);
      },
    );
    app.get(
      '/api/training-sessions',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's training calendar: sessions starting in [from, to)",
          querystring: TrainingSessionQuery,
          response: { 200: TrainingSessionList },
        },
      },
      async (req) => {
        const { auth } = req;
        return { sessions: await training.sessions(auth, auth.teamId, req.query) };
      },
    );
    app.post(
      '/api/training-sessions',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Schedule a training session (leader)',
          body: CreateTrainingSessionBody,
          response: { 201: TrainingSession },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await training.createSession(auth, auth.teamId, req.body));
      },
    );
    app.patch(
      '/api/training-sessions/:sessionId',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Change or cancel a training session (leader)',
          params: TrainingSessionParams,
          body: UpdateTrainingSessionBody,
          response: { 200: TrainingSession },
        },
      },
      async (req) => {
        const { auth } = req;
        return training.updateSession(auth, auth.teamId, req.params.sessionId, req.body);
      },
    );
    app.put(
      '/api/training-sessions/:sessionId/attendance',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Take attendance: present, absent or excused per member (leader)',
          params: TrainingSessionParams,
          body: AttendanceBody,
          response: { 200: TrainingSession },
        },
      },
      async (req) => {
        const { auth } = req;
        return training.setAttendance(auth, auth.teamId, req.params.sessionId, req.body);
      },
    );
  };

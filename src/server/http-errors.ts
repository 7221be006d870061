import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '../contract/common.ts';
import { expectedError } from '../services/core/database-errors.ts';

/** One error handler: HowlErrors and validation failures become `{error}` bodies naming the field; the rest a logged 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const expected = expectedError(err);
    if (expected) {
      if (expected.status === 503) req.log.warn({ err }, 'database unavailable');
      const retryAfterS = (expected.details as { retryAfterS?: unknown } | undefined)?.retryAfterS;
      if (typeof retryAfterS === 'number') reply.header('retry-after', String(retryAfterS));
      const body: ErrorBody = {
        error: { code: expected.code, message: expected.message, details: expected.details },
      };
      return reply.status(expected.status).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const field = fieldOf(first?.instancePath ?? '', first?.params);
      const where = err.validationContext ?? 'body';
      const body: ErrorBody = {
        error: {
          code: 'invalid_input',
          message: `${field || where}: ${first?.message ?? 'invalid'}`,
          details: {
            field: field || where,
            in: where,
            issues: err.validation.map((v) => ({ path: v.instancePath, message: v.message })),
          },
        },
      };
      return reply.status(400).send(body);
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const code = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : 'bad_request';
      return reply.status(status).send({ error: { code, message: err.message } } satisfies ErrorBody);
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` },
    } satisfies ErrorBody),
  );
}

function fieldOf(instancePath: string, params: unknown): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const issue = (params as { issue?: { path?: unknown[] } } | undefined)?.issue;
  if (!path && issue?.path?.length) return issue.path.join('.');
  return path;
}

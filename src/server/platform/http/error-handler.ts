import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError } from '../errors.ts';

/** The one place errors become responses: `{"error":{"code","message","details"}}`. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | ZodError, req, reply) => {
    if (err instanceof AppError) {
      return reply
        .status(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const field = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
      const where = err.validationContext ?? 'body';
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: `Invalid ${where}${field ? ` field ${field}` : ''}: ${first?.message ?? 'invalid'}`,
          details: err.validation.map((v) => ({ path: v.instancePath, message: v.message })),
        },
      });
    }
    if (err instanceof ZodError) {
      const first = err.issues[0];
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: `Invalid ${first?.path.join('.') || 'input'}: ${first?.message}`,
          details: err.issues,
        },
      });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply
        .status(500)
        .send({ error: { code: 'internal', message: 'Internal error; see the server log' } });
    }
    return reply.status(status).send({
      error: { code: (err as FastifyError).code?.toLowerCase() ?? 'bad_request', message: err.message },
    });
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });
}

import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, nestLogger } from '@county/logging';
import { AppModule } from './app.module';
import { registerJsonBodyParser } from './common/json-body';
import { MULTIPART_LIMITS } from './common/multipart-form';
import { ProblemFilter } from './common/problem.filter';
import { LogContextInterceptor, registerRequestIdHeader, RequestLog, requestIdOf } from './common/request-log';
import { refuseMalformedUrl } from './common/request-url';
import { createValidationPipe } from './common/validation.pipe';
import { ApiConfig, loadConfig } from './config';
import { apiDocumentOf, setUpApiDocs } from './docs/api-docs';
import { ApiMetrics } from './metrics/api-metrics';
import { setUpMetrics } from './metrics/metrics-route';
import { setUpWebApp } from './web/web-app';

export const API_PREFIX = 'api/v1';

export interface CreateAppOptions {
  /**
   * The process's JSON logger (main.ts): Nest's own lines and one line per request go through it. Without it
   * (tests, the document build) Nest's console logger prints `logLevels` and requests are not logged.
   */
  logger?: Logger;
  logLevels?: LogLevel[];
  /**
   * Nest's preview mode: the routes and their metadata are built, no provider is instantiated, so nothing
   * connects to PostgreSQL or Temporal. Enough to build the OpenAPI document; such an app never listens.
   */
  preview?: boolean;
}

/** Builds the HTTP application (not yet listening); shared by main.ts and the tests. */
export async function createApp(config: ApiConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdOf,
    // Fastify's two lines per request become RequestLog's one (with the user and unit).
    ...(options.logger
      ? { loggerInstance: options.logger.child({ component: 'http' }), logController: new RequestLog() }
      : {}),
  });
  // One registry per application (several run in one test process); a preview app never serves, so no process metrics.
  const metrics = new ApiMetrics({ defaultMetrics: !options.preview });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, metrics), adapter, {
    logger: options.logger ? nestLogger(options.logger) : (options.logLevels ?? ['log', 'warn', 'error']),
    preview: options.preview ?? false,
    // The problem filter answers every error; Nest's own fallback must never print a stack to a client.
    abortOnError: false,
    // Nest's parsers would take JSON of any depth, and form-encoded bodies, which no route reads (now 415):
    // JSON goes through ours instead (registerJsonBodyParser), depth limit first.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  registerRequestIdHeader(fastify);
  // First of the hooks, so every answer is counted, refusals by the later hooks included.
  setUpMetrics(fastify, config, metrics);

  // API answers are one user's view of the moment (a token, a unit's work, an error about either): no
  // browser, proxy or shared cache may keep them. One hook, so errors (401, 403, 429…) are covered too;
  // a request carrying credentials outside the API (docs, console) is covered as well.
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith(`/${API_PREFIX}/`) || request.headers.authorization !== undefined) {
      void reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI and the console's bars (style attributes) style inline; both show data: images. The console
        // shows 佐证材料 photos from blob: URLs: their content route needs the Bearer token, so it fetches the bytes
        // itself, and only a script of this origin can make a blob: URL of this origin.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        // Local mode serves plain HTTP; upgrading sub-requests to HTTPS would break the docs page there.
        upgradeInsecureRequests: null,
      },
    },
  });

  await app.register(multipart, { limits: MULTIPART_LIMITS });

  // Before routing: a URL with malformed encoding never reaches a handler.
  app.getHttpAdapter().getInstance().addHook('onRequest', refuseMalformedUrl);

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalInterceptors(new LogContextInterceptor());
  app.enableShutdownHooks();

  setUpApiDocs(app);
  setUpWebApp(app);
  return app;
}

/**
 * The OpenAPI document exactly as /api/docs/openapi.json serves it, built by the same createApp in preview
 * mode: no database or Temporal is needed (the lint and type-generation scripts and their tests use this).
 */
export async function createApiDocument(config?: ApiConfig): Promise<OpenAPIObject> {
  // Preview mode connects to nothing, so the database URL is never used; the rest are the defaults.
  const documentConfig = config ?? loadConfig({ DATABASE_URL: 'postgres://document-only.invalid/unused' });
  const app = await createApp(documentConfig, { preview: true, logLevels: ['error'] });
  try {
    return apiDocumentOf(app);
  } finally {
    await app.close();
  }
}

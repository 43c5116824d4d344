import helmet from '@fastify/helmet';
import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { ProblemFilter, sendProblem, toProblem } from './common/problem.filter';
import { createValidationPipe } from './common/validation.pipe';
import { ApiConfig } from './config';

export const API_PREFIX = 'api/v1';

export interface CreateAppOptions {
  logLevels?: LogLevel[];
}

/** Builds the HTTP application (not yet listening); shared by main.ts and the tests. */
export async function createApp(config: ApiConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: config.trustProxy });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: options.logLevels ?? ['log', 'warn', 'error'],
    // The problem filter answers every error; Nest's own fallback must never print a stack to a client.
    abortOnError: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  // Errors Fastify raises before routing (bad JSON, body too large, wrong content type) get the same problem shape.
  const logger = new Logger('HTTP');
  fastify.setErrorHandler((error, _request, reply) => {
    sendProblem(reply, toProblem(error, logger));
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles its page inline and shows data: images.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('County task-list workflow engine')
      .setDescription(
        'Task lists, assignments, sign-offs, escalations and 乡呼县应 calls. Errors are application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = '/api/docs';

/**
 * OpenAPI document at /api/docs/openapi.json and Swagger UI at /api/docs. The UI files are served from
 * swagger-ui-dist directly (Nest's built-in route needs @fastify/static, whose current release is ESM-only
 * and cannot load under the test runner); the initializer is a file of its own so the CSP can forbid inline scripts.
 */
export function setUpApiDocs(app: NestFastifyApplication): void {
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
  const fastify = app.getHttpAdapter().getInstance();
  const uiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const asset = (file: string, type: string) => {
    const content = readFileSync(path.join(uiDir, file));
    fastify.get(`${DOCS_PATH}/${file}`, (_request, reply) => reply.type(type).send(content));
  };
  asset('swagger-ui.css', 'text/css; charset=utf-8');
  asset('swagger-ui-bundle.js', 'application/javascript; charset=utf-8');

  fastify.get(`${DOCS_PATH}/openapi.json`, (_request, reply) => reply.send(document));
  fastify.get(`${DOCS_PATH}/initializer.js`, (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .send(`window.ui = SwaggerUIBundle({ url: '${DOCS_PATH}/openapi.json', dom_id: '#swagger-ui' });\n`),
  );
  fastify.get(DOCS_PATH, (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>County task-list workflow engine — API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/initializer.js"></script>
</body>
</html>
`),
  );
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The staff console's build output (apps/web/dist), the same relative place from src/ and from dist/. */
export const WEB_DIST_DIR = path.resolve(__dirname, '../../../web/dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface WebFile {
  body: Buffer;
  type: string;
  cacheControl: string;
}

/** Every file under `dir`, keyed by its URL path ("/assets/index-abc.js"). */
function readTree(dir: string, prefix = ''): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const urlPath = `${prefix}/${name}`;
    if (statSync(full).isDirectory()) {
      for (const [key, file] of readTree(full, urlPath)) files.set(key, file);
      continue;
    }
    files.set(urlPath, {
      body: readFileSync(full),
      type: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
      // Vite puts a content hash in every asset's name, so a cached copy can never be stale; index.html
      // names the current hashes and must always be fetched afresh.
      cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return files;
}

/**
 * Serves the built console from memory (a few hundred kB) by our own routes, like the API docs: @fastify/static's
 * current release is ESM-only and cannot load under the test runner. Any other non-API GET answers index.html,
 * so the console's own paths (/tasks/…, /board) survive a reload. Unknown /api paths keep their problem+json 404.
 */
export function setUpWebApp(app: NestFastifyApplication, dir = WEB_DIST_DIR): boolean {
  const logger = new Logger('WebApp');
  if (!existsSync(path.join(dir, 'index.html'))) {
    logger.warn(`No staff console at ${dir} (run \`npm run build\`); serving the API only.`);
    return false;
  }
  const files = readTree(dir);
  const index = files.get('/index.html')!;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/*', (request, reply) => {
    const urlPath = request.url.split('?')[0];
    if (urlPath === '/api' || urlPath.startsWith('/api/')) return reply.callNotFound();
    const file = files.get(urlPath);
    // A missing hashed asset is a real 404 (an old page asking for a replaced bundle), not the SPA shell.
    if (!file && urlPath.startsWith('/assets/')) return reply.callNotFound();
    const chosen = file ?? index;
    return reply.header('cache-control', chosen.cacheControl).type(chosen.type).send(chosen.body);
  });
  return true;
}

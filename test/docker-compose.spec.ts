import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../apps/api/src/config';
import { loadWorkerConfig } from '../apps/worker/src/config';
import { logLevelFrom } from '../libs/logging/src';
import { pinnedVersion } from '../scripts/src/temporal-cli';
import { BASE_DYNAMIC_CONFIG } from '../scripts/src/temporal-real-server';

/**
 * docker-compose.yml is the production layout, but no machine that runs the tests has a container engine: this
 * suite reads the file the way `docker compose` does (YAML with merge keys, then `${…}` interpolation from the
 * operator's environment) and checks what would otherwise only fail on a customer's server — an image that moves
 * under us, a start order that races, a service nobody watches, a variable the code never reads or one it needs
 * and does not get.
 */

const ROOT = path.resolve(__dirname, '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

/** What an operator puts in .env: the two secrets the file demands, nothing optional. */
const OPERATOR_ENV = { POSTGRES_PASSWORD: 'Compose2pass', JWT_SECRET: 'k'.repeat(40) };

type Env = Record<string, string | undefined>;
interface Healthcheck {
  test?: string[] | string;
  interval?: string;
}
interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: Healthcheck;
  volumes?: string[];
  ports?: string[];
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/**
 * Compose's interpolation: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}` and
 * `${NAME?error}`. Unset names without a default are collected (compose would put an empty string in silently).
 */
function interpolate(text: string, env: Env, problems: string[]): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const value = env[name];
      if (!operator) {
        if (value === undefined) problems.push(`${name} is unset and has no default`);
        return value ?? '';
      }
      const missing = operator.startsWith(':') ? !value : value === undefined;
      if (!missing) return value!;
      if (operator.endsWith('-')) return argument ?? '';
      problems.push(`${name}: ${argument}`);
      return '';
    },
  );
}

function interpolateAll(node: unknown, env: Env, problems: string[]): unknown {
  if (typeof node === 'string') return interpolate(node, env, problems);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env, problems));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, env, problems)]));
  }
  return node;
}

function loadCompose(env: Env = OPERATOR_ENV, text = readFileSync(COMPOSE_FILE, 'utf8')): ComposeFile {
  const problems: string[] = [];
  // `merge: true`: the `<<: *anchor` keys compose understands.
  const resolved = interpolateAll(parse(text, { merge: true }), env, problems) as ComposeFile;
  if (problems.length > 0)
    throw new Error(`docker compose would refuse or misread the file:\n- ${problems.join('\n- ')}`);
  return resolved;
}

/** A service's environment as the process sees it: every value a string (compose passes numbers as text). */
function environmentOf(service: Service): Record<string, string> {
  const environment = service.environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((item) => {
        const at = item.indexOf('=');
        return [item.slice(0, at), item.slice(at + 1)] as const;
      })
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)] as const);
  return Object.fromEntries(entries);
}

function dependencies(service: Service): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  // The short (list) form means service_started: no waiting at all.
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(dependsOn).map(([name, value]) => [name, value?.condition ?? 'service_started']),
  );
}

function words(value: string[] | string | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/);
}

/** Host files a service mounts (`./x:/y[:ro]`), relative to the compose file. */
function bindMounts(service: Service): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [source, target] = volume.split(':');
      return { source: path.join(ROOT, source), target };
    });
}

/** The host file behind a path inside the container, through the service's bind mounts. */
function hostFile(service: Service, containerPath: string): string | undefined {
  for (const mount of bindMounts(service)) {
    if (containerPath === mount.target) return mount.source;
    if (containerPath.startsWith(`${mount.target}/`)) {
      return path.join(mount.source, containerPath.slice(mount.target.length + 1));
    }
  }
  return undefined;
}

/** The names of images, without registry paths: `temporalio/server:1.29.1` → ['temporalio/server', '1.29.1']. */
function imageParts(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  if (at === -1 || image.slice(at).includes('/')) return [image, undefined];
  return [image.slice(0, at), image.slice(at + 1)];
}

function serviceWithImage(compose: ComposeFile, repository: string): [string, Service][] {
  return Object.entries(compose.services).filter(([, service]) => imageParts(service.image ?? '')[0] === repository);
}

function onlyServiceWithImage(compose: ComposeFile, repository: string): [string, Service] {
  const found = serviceWithImage(compose, repository);
  expect(found.map(([name]) => name)).toHaveLength(1);
  return found[0];
}

/** One-shot jobs: services something waits for to exit 0. */
function oneShotServices(compose: ComposeFile): Set<string> {
  return new Set(
    Object.values(compose.services).flatMap((service) =>
      Object.entries(dependencies(service))
        .filter(([, condition]) => condition === 'service_completed_successfully')
        .map(([name]) => name),
    ),
  );
}

/** True when `from` waits, through depends_on, for `target` to be healthy. */
function waitsHealthyFor(compose: ComposeFile, from: string, target: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  return Object.entries(dependencies(compose.services[from] ?? {})).some(
    ([name, condition]) =>
      (name === target && condition === 'service_healthy') ||
      (condition !== 'service_started' && waitsHealthyFor(compose, name, target, seen)),
  );
}

/** Every name the API and worker code reads from process.env directly, outside the two config modules. */
function processEnvNamesInSource(): Set<string> {
  const names = new Set<string>();
  const directories = [
    'apps/api/src',
    'apps/worker/src',
    'workflows/src',
    ...readdirSync(path.join(ROOT, 'libs')).map((lib) => `libs/${lib}/src`),
  ];
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const file = path.join(directory, entry);
      if (statSync(file).isDirectory()) visit(file);
      else if (file.endsWith('.ts') && !file.endsWith('.spec.ts')) {
        for (const match of readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g))
          names.add(match[1]);
      }
    }
  };
  for (const directory of directories) if (existsSync(path.join(ROOT, directory))) visit(path.join(ROOT, directory));
  return names;
}

/** Runs a config loader over `env` and returns the names it looked up. */
function namesRead(load: (env: NodeJS.ProcessEnv) => unknown, env: Env): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return target[key as string];
    },
  });
  load(recording as NodeJS.ProcessEnv);
  return read;
}

const compose = loadCompose();
const api = compose.services.api;
const worker = compose.services.worker;
const apiEnv = environmentOf(api);
const workerEnv = environmentOf(worker);

describe('docker-compose.yml: images', () => {
  it('pins every image to a version tag and builds the rest from this repository', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined) {
        expect({ name, build: service.build, image: service.image }).toEqual({ name, build: '.', image: undefined });
        continue;
      }
      const [repository, tag] = imageParts(service.image ?? '');
      // A version, not `latest` or no tag: an image that changes under the same name changes the deployment.
      expect({ name, repository, tag }).toEqual({
        name,
        repository,
        tag: expect.stringMatching(/^\d+(\.\d+)*(-\S+)?$/),
      });
    }
  });

  it('runs the Temporal server, admin tools and UI that tools/temporal/go.mod pins (npm start and the tests run them)', () => {
    // go.mod says v1.29.1; image tags drop the v.
    const server = pinnedVersion('go.temporal.io/server').replace(/^v/, '');
    const ui = pinnedVersion('github.com/temporalio/ui-server/v2').replace(/^v/, '');
    expect(serviceWithImage(compose, 'temporalio/auto-setup')).toEqual([]);
    expect(imageParts(onlyServiceWithImage(compose, 'temporalio/server')[1].image!)[1]).toBe(server);
    expect(imageParts(onlyServiceWithImage(compose, 'temporalio/ui')[1].image!)[1]).toBe(ui);
    const adminTools = serviceWithImage(compose, 'temporalio/admin-tools');
    expect(adminTools.length).toBeGreaterThan(0);
    for (const [, service] of adminTools) {
      // admin-tools tags name the tools inside too: 1.29.1-tctl-1.18.4-cli-1.5.0.
      expect(imageParts(service.image!)[1]).toMatch(new RegExp(`^${server.replace(/\./g, '\\.')}(-|$)`));
    }
  });
});

describe('docker-compose.yml: start order and health', () => {
  it('sets up the schema before the server starts, from the same persistence settings', () => {
    const [serverName, server] = onlyServiceWithImage(compose, 'temporalio/server');
    const schemaJobs = Object.entries(dependencies(server)).filter(
      ([, condition]) => condition === 'service_completed_successfully',
    );
    expect(schemaJobs).toHaveLength(1);
    const [schemaName] = schemaJobs[0];
    const schema = compose.services[schemaName];
    expect({ schemaName, image: imageParts(schema.image ?? '')[0] }).toEqual({
      schemaName,
      image: 'temporalio/admin-tools',
    });
    expect(waitsHealthyFor(compose, schemaName, 'postgres')).toBe(true);

    // The server's config template and the job read the same names: the job creates what the server opens.
    const serverEnv = environmentOf(server);
    const schemaEnv = environmentOf(schema);
    expect(serverEnv.DB).toBe('postgres12');
    for (const name of [
      'DB',
      'POSTGRES_SEEDS',
      'DB_PORT',
      'POSTGRES_USER',
      'POSTGRES_PWD',
      'DBNAME',
      'VISIBILITY_DBNAME',
    ]) {
      expect({ name, value: schemaEnv[name] }).toEqual({ name, value: serverEnv[name] });
      expect({ name, value: serverEnv[name] }).toEqual({ name, value: expect.stringMatching(/\S/) });
    }
    expect(schemaEnv.SQL_PASSWORD).toBe(serverEnv.POSTGRES_PWD);
    expect(serverEnv.POSTGRES_SEEDS).toBe('postgres');
    expect(serverEnv.DBNAME).not.toBe(serverEnv.VISIBILITY_DBNAME);

    // What the job runs: the script it mounts, creating and migrating both databases with the embedded schemas.
    const scriptPath = [...words(schema.entrypoint), ...words(schema.command)].find((word) => word.endsWith('.sh'));
    const script = readFileSync(hostFile(schema, scriptPath ?? '') ?? '/nonexistent', 'utf8');
    expect(script).toMatch(/temporal-sql-tool --plugin postgres12 /);
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema --schema-name "$schema"']) {
      expect(script).toContain(step);
    }
    expect(script).toMatch(/"\$DBNAME:temporal"/);
    expect(script).toMatch(/"\$VISIBILITY_DBNAME:visibility"/);
    expect(script).toContain('schema=postgresql/v12/${pair#*:}');
    expect(script).toMatch(/^set -eu$/m); // a failed step fails the job, and the server does not start
    expect(serverName).toBe('temporal');
  });

  it('fixes the history shard count and mounts the dynamic config file the server is told to read', () => {
    const [, server] = onlyServiceWithImage(compose, 'temporalio/server');
    const serverEnv = environmentOf(server);
    expect(Number(serverEnv.NUM_HISTORY_SHARDS)).toBeGreaterThanOrEqual(128);
    expect(Number(serverEnv.SQL_MAX_CONNS)).toBeGreaterThan(0);
    // Relative paths in the image are under its working directory, /etc/temporal.
    const dynamicConfig = hostFile(server, path.posix.join('/etc/temporal', serverEnv.DYNAMIC_CONFIG_FILE_PATH ?? ''));
    expect(dynamicConfig && existsSync(dynamicConfig)).toBe(true);
    const values = parse(readFileSync(dynamicConfig!, 'utf8')) as Record<string, { value: unknown }[]>;
    // The features the code needs and a real server has off (update-with-start for calls, updates for every
    // action): on here as in TEMPORAL_MODE=server, where the suites run against a real server.
    const switches = Object.entries(BASE_DYNAMIC_CONFIG).filter(([key]) => /^(frontend|system)\.enable/.test(key));
    expect(switches.map(([key]) => key)).toContain('frontend.enableExecuteMultiOperation');
    for (const [key, value] of switches) {
      expect({ key, values: values[key]?.map((entry) => entry.value) }).toEqual({ key, values: [value] });
    }
  });

  it('registers the namespace the API and the worker use before either starts', () => {
    const namespaceJobs = [...oneShotServices(compose)].filter(
      (name) => environmentOf(compose.services[name]).TEMPORAL_NAMESPACE !== undefined,
    );
    expect(namespaceJobs).toHaveLength(1);
    const job = compose.services[namespaceJobs[0]];
    const namespace = environmentOf(job).TEMPORAL_NAMESPACE;
    expect(loadConfig(apiEnv).temporalNamespace).toBe(namespace);
    expect(loadWorkerConfig(workerEnv).namespace).toBe(namespace);
    expect(environmentOf(compose.services['temporal-ui']).TEMPORAL_DEFAULT_NAMESPACE).toBe(namespace);
    expect(dependencies(api)[namespaceJobs[0]]).toBe('service_completed_successfully');
    expect(dependencies(worker)[namespaceJobs[0]]).toBe('service_completed_successfully');
    expect(waitsHealthyFor(compose, namespaceJobs[0], 'temporal')).toBe(true);
    const script = [...words(job.entrypoint), ...words(job.command)].find((word) => word.endsWith('.sh'));
    expect(readFileSync(hostFile(job, script ?? '') ?? '/nonexistent', 'utf8')).toContain('namespace create');
  });

  it('points every Temporal client at the server service', () => {
    const clients = Object.entries(compose.services).filter(([, service]) => environmentOf(service).TEMPORAL_ADDRESS);
    expect(clients.map(([name]) => name).sort()).toEqual(['api', 'temporal-namespace', 'temporal-ui', 'worker']);
    for (const [name, service] of clients) {
      expect({ name, address: environmentOf(service).TEMPORAL_ADDRESS }).toEqual({ name, address: 'temporal:7233' });
      expect({ name, waits: waitsHealthyFor(compose, name, 'temporal') }).toEqual({ name, waits: true });
    }
  });

  it('gives PostgreSQL a healthcheck and makes everything that uses it wait for it to be healthy', () => {
    expect(words(compose.services.postgres.healthcheck?.test)).toContain('pg_isready -U county -d county');
    const users = Object.entries(compose.services).filter(([, service]) => {
      const environment = environmentOf(service);
      return environment.POSTGRES_SEEDS === 'postgres' || /@postgres:/.test(environment.DATABASE_URL ?? '');
    });
    expect(users.map(([name]) => name).sort()).toEqual(['api', 'temporal', 'temporal-schema', 'worker']);
    for (const [name] of users) {
      expect({ name, waits: waitsHealthyFor(compose, name, 'postgres') }).toEqual({ name, waits: true });
    }
  });

  it('has a healthcheck on every long-running service, and waits only on conditions that can happen', () => {
    const oneShot = oneShotServices(compose);
    expect([...oneShot].sort()).toEqual(['temporal-namespace', 'temporal-schema']);
    for (const [name, service] of Object.entries(compose.services)) {
      if (oneShot.has(name)) {
        // A job that restarts after exiting 0 never completes for compose, and one that restarts on failure hides it.
        expect({ name, restart: service.restart, healthcheck: service.healthcheck }).toEqual({
          name,
          restart: 'no',
          healthcheck: undefined,
        });
        continue;
      }
      const test = words(service.healthcheck?.test);
      expect({ name, kind: test[0] }).toEqual({ name, kind: expect.stringMatching(/^CMD(-SHELL)?$/) });
      // `kill -0 1` or `true` pass for as long as the container exists: they watch nothing.
      expect({ name, test: test.slice(1).join(' ') }).toEqual({
        name,
        test: expect.not.stringMatching(/^(true|kill -0 1)$/),
      });
      expect({ name, test: test.slice(1).join(' ') }).toEqual({ name, test: expect.stringMatching(/\S/) });
    }
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(dependencies(service))) {
        expect(Object.keys(compose.services)).toContain(dependency);
        const target = compose.services[dependency];
        const expected = oneShot.has(dependency) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dependency, condition, hasHealthcheck: target.healthcheck !== undefined }).toEqual({
          name,
          dependency,
          condition: expected,
          hasHealthcheck: !oneShot.has(dependency),
        });
      }
    }
  });

  it('checks the worker with the script the image builds, and the API on the port it listens on', () => {
    expect(words(worker.healthcheck?.test)).toEqual(['CMD', 'node', 'apps/worker/dist/healthcheck.js']);
    const config = loadConfig(apiEnv);
    expect(words(api.healthcheck?.test).join(' ')).toContain(`http://127.0.0.1:${config.port}/api/v1/health`);
    expect(config.host).toBe('0.0.0.0'); // reachable through the published port, not only inside the container
    expect(api.ports?.some((port) => port.endsWith(`:${config.port}`))).toBe(true);
  });
});

describe('docker-compose.yml: the environment of the API and the worker', () => {
  const sourceNames = processEnvNamesInSource();

  it('gives them only variables their code reads', () => {
    // Both processes also read LOG_LEVEL, through their shared logger (libs/logging), before their config.
    const withLogger =
      (load: (env: NodeJS.ProcessEnv) => unknown) =>
      (env: NodeJS.ProcessEnv): void => {
        logLevelFrom(env);
        load(env);
      };
    for (const [name, environment, load] of [
      ['api', apiEnv, withLogger(loadConfig)],
      ['worker', workerEnv, withLogger(loadWorkerConfig)],
    ] as const) {
      const read = namesRead(load, environment);
      const unread = Object.keys(environment).filter((variable) => !read.has(variable) && !sourceNames.has(variable));
      expect({ service: name, unread }).toEqual({ service: name, unread: [] });
    }
  });

  it('loads the production configuration from it: nothing the code requires is missing', () => {
    const config = loadConfig(apiEnv);
    expect(config).toMatchObject({
      production: true,
      jwtSecret: OPERATOR_ENV.JWT_SECRET,
      demoPassword: undefined,
      databaseUrl: `postgres://county:${OPERATOR_ENV.POSTGRES_PASSWORD}@postgres:5432/county`,
      oidc: undefined,
    });
    const workerConfig = loadWorkerConfig(workerEnv);
    // One database, one queue, one store for files between the two.
    expect(workerConfig.databaseUrl).toBe(config.databaseUrl);
    expect(workerConfig.taskQueue).toBe(config.temporalTaskQueue);
    expect(workerConfig.attachmentsDir).toBe(config.attachmentsDir);
    const volumeAt = (service: Service, target: string) =>
      (service.volumes ?? []).find((volume) => volume.split(':')[1] === target)?.split(':')[0];
    const apiVolume = volumeAt(api, config.attachmentsDir) ?? 'no volume at ATTACHMENTS_DIR';
    expect(volumeAt(worker, config.attachmentsDir)).toBe(apiVolume);
    // A named volume, not a directory of the container that goes with it.
    expect(Object.keys(compose.volumes ?? {})).toContain(apiVolume);
  });

  it('passes optional settings through empty, which the code reads as unset', () => {
    for (const [environment, load] of [
      [apiEnv, loadConfig],
      [workerEnv, loadWorkerConfig],
    ] as const) {
      for (const [name, value] of Object.entries(environment)) {
        if (value !== '') continue;
        const without: Env = { ...environment };
        delete without[name];
        expect({ name, config: load(environment) }).toEqual({ name, config: load(without) });
      }
    }
  });

  it('refuses to start without the secrets, instead of running with empty ones', () => {
    expect(() => loadCompose({ POSTGRES_PASSWORD: OPERATOR_ENV.POSTGRES_PASSWORD })).toThrow(/JWT_SECRET/);
    expect(() => loadCompose({ JWT_SECRET: OPERATOR_ENV.JWT_SECRET })).toThrow(/POSTGRES_PASSWORD/);
  });
});

describe('the image docker-compose.yml builds (Dockerfile)', () => {
  it('has the entry points the services run, and keeps local state out of the build', () => {
    for (const service of [api, worker]) {
      const scripts = [...words(service.command), ...words(service.healthcheck?.test)]
        .flatMap((word) => word.split(/\s+/))
        .filter((word) => /^apps\/.*\/dist\/.*\.js$/.test(word));
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        // dist/ is built inside the image from src/.
        const source = path.join(ROOT, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'));
        expect({ script, source: existsSync(source) }).toEqual({ script, source: true });
      }
    }
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`mkdir -p ${loadConfig(apiEnv).attachmentsDir}`);
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    // Every node_modules and dist (a workspace's too: npm ci and the build make their own), secrets, local data.
    for (const pattern of ['**/node_modules', '**/dist', '.env', '.data', '.tools', '.git']) {
      expect(ignored).toContain(pattern);
    }
  });
});

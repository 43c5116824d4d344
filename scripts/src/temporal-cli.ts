import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, TOOLS_DIR } from './paths';

/**
 * The Temporal programs the project runs, each built from one Go module pinned in tools/temporal (go.mod +
 * go.sum): the CLI (its dev server is the default Temporal of `npm start` and the tests), and the parts of a
 * production installation — the server itself, its SQL schema tool and the Web UI server.
 */
export const TEMPORAL_TOOLS = {
  temporal: 'github.com/temporalio/cli/cmd/temporal',
  'temporal-server': 'go.temporal.io/server/cmd/server',
  'temporal-sql-tool': 'go.temporal.io/server/cmd/tools/sql',
  'temporal-ui-server': 'github.com/temporalio/ui-server/v2/cmd/server',
} as const;
export type TemporalTool = keyof typeof TEMPORAL_TOOLS;

/** The Go module that pins the versions; its go.sum is what makes a build reproducible. */
export const TOOLS_MODULE_DIR = path.join(ROOT, 'tools', 'temporal');
const BIN_DIR = path.join(TOOLS_DIR, 'bin');

export type TemporalCli =
  | { kind: 'binary'; path: string; source: string }
  /** No binary could be found or built: @temporalio/testing downloads and runs the server itself. */
  | { kind: 'sdk-download' };

type Log = (message: string) => void;

/** The version of a module as tools/temporal/go.mod pins it, e.g. `temporalVersion('go.temporal.io/server')`. */
export function pinnedVersion(module: string): string {
  const goMod = readFileSync(path.join(TOOLS_MODULE_DIR, 'go.mod'), 'utf8');
  const found = new RegExp(`^\\s*${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} (v\\S+)`, 'm').exec(goMod);
  if (!found) throw new Error(`tools/temporal/go.mod does not require ${module}`);
  return found[1]!;
}

/**
 * Finds the Temporal CLI in this order: $TEMPORAL_CLI, `temporal` on PATH, .tools/bin/temporal built from the
 * pinned module, a fresh build of it with Go, and finally the SDK's own download (machines with internet
 * access but no Go).
 */
export async function resolveTemporalCli(log: Log = console.log): Promise<TemporalCli> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    return { kind: 'binary', path: fromEnv, source: 'TEMPORAL_CLI' };
  }
  const onPath = findOnPath('temporal');
  if (onPath) return { kind: 'binary', path: onPath, source: 'PATH' };

  if (isBuilt('temporal')) return { kind: 'binary', path: toolPath('temporal'), source: '.tools/bin' };
  if (findOnPath('go')) {
    await buildTools(['temporal'], log);
    return { kind: 'binary', path: toolPath('temporal'), source: 'built from tools/temporal' };
  }
  log('Go is not installed; falling back to downloading the Temporal dev server through @temporalio/testing');
  return { kind: 'sdk-download' };
}

/**
 * The paths of the given tools, building those missing (or built from another go.sum) into .tools/bin. The
 * production parts have no download fallback: without Go they cannot be had here, and saying so is better
 * than silently running something else.
 */
export async function resolveTemporalTools<T extends TemporalTool>(
  tools: readonly T[],
  log: Log = console.log,
): Promise<Record<T, string>> {
  const missing = tools.filter((tool) => !isBuilt(tool));
  if (missing.length > 0) {
    if (!findOnPath('go')) {
      throw new Error(
        `${missing.join(', ')} missing: building the Temporal server needs Go (https://go.dev/dl/; the module is ` +
          'tools/temporal), or set TEMPORAL_ADDRESS to a running Temporal server',
      );
    }
    await buildTools(missing, log);
  }
  return Object.fromEntries(tools.map((tool) => [tool, toolPath(tool)])) as Record<T, string>;
}

/** Whether the real server's parts are built for the current go.sum, or can be (Go is installed). */
export function temporalToolsAvailable(): boolean {
  return Boolean(findOnPath('go')) || (['temporal-server', 'temporal-sql-tool'] as const).every(isBuilt);
}

export function toolPath(tool: TemporalTool): string {
  return path.join(BIN_DIR, process.platform === 'win32' ? `${tool}.exe` : tool);
}

/** A binary counts as built only if it came from the go.sum in the repository now (a version bump rebuilds). */
function isBuilt(tool: TemporalTool): boolean {
  if (!isExecutable(toolPath(tool))) return false;
  try {
    return readFileSync(stampPath(tool), 'utf8') === moduleStamp();
  } catch {
    return false;
  }
}

const stampPath = (tool: TemporalTool) => path.join(BIN_DIR, `.${tool}.go-sum-sha256`);
const moduleStamp = () =>
  createHash('sha256')
    .update(readFileSync(path.join(TOOLS_MODULE_DIR, 'go.sum')))
    .digest('hex');

/** `go build` of each tool from the pinned module, one after another, printing progress every 100 packages. */
export async function buildTools(tools: readonly TemporalTool[], log: Log): Promise<void> {
  mkdirSync(BIN_DIR, { recursive: true });
  log(`Building ${tools.join(', ')} from tools/temporal into ${BIN_DIR}.`);
  log('The first build downloads and compiles the Temporal server: expect several minutes; later builds take seconds.');
  for (const tool of tools) {
    const started = Date.now();
    await goBuild(tool, log, started);
    writeFileSync(stampPath(tool), moduleStamp());
    log(`  ${tool} built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

function goBuild(tool: TemporalTool, log: Log, started: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // -v prints each package as it is compiled: the progress output for a long first build. -mod=readonly
    // refuses to build anything go.sum does not pin.
    const child = spawn('go', ['build', '-v', '-mod=readonly', '-o', toolPath(tool), TEMPORAL_TOOLS[tool]], {
      cwd: TOOLS_MODULE_DIR,
      env: { ...process.env, GOFLAGS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let compiled = 0;
    let lastLine = '';
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        if (line.startsWith('go: downloading')) continue;
        lastLine = line;
        compiled += 1;
        if (compiled % 100 === 0) {
          log(
            `  … ${tool}: ${compiled} packages compiled (${Math.round((Date.now() - started) / 1000)} s), now ${line}`,
          );
        }
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`go build ${TEMPORAL_TOOLS[tool]} failed (exit ${code}): ${lastLine}`)),
    );
  });
}

function findOnPath(command: string): string | undefined {
  const result = spawnSync(process.platform === 'win32' ? 'where' : 'which', [command], { encoding: 'utf8' });
  const found = result.status === 0 ? result.stdout.split('\n')[0]?.trim() : undefined;
  return found || undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

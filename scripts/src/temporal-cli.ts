import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { TOOLS_DIR } from './paths';

/** The last CLI release whose Go module has no replace directives, so `go install` can build it. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export type TemporalCli =
  | { kind: 'binary'; path: string; source: string }
  /** No binary could be found or built: @temporalio/testing downloads and runs the server itself. */
  | { kind: 'sdk-download' };

type Log = (message: string) => void;

/**
 * Finds a Temporal CLI in this order: $TEMPORAL_CLI, `temporal` on PATH, .tools/bin/temporal, a fresh
 * `go install` of the pinned version into .tools/bin, and finally the SDK's own download.
 */
export async function resolveTemporalCli(log: Log = console.log): Promise<TemporalCli> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    return { kind: 'binary', path: fromEnv, source: 'TEMPORAL_CLI' };
  }
  const onPath = findOnPath('temporal');
  if (onPath) return { kind: 'binary', path: onPath, source: 'PATH' };

  const binDir = path.join(TOOLS_DIR, 'bin');
  const cached = path.join(binDir, process.platform === 'win32' ? 'temporal.exe' : 'temporal');
  if (isExecutable(cached)) return { kind: 'binary', path: cached, source: '.tools/bin' };

  if (findOnPath('go')) {
    await buildWithGo(binDir, log);
    if (isExecutable(cached)) return { kind: 'binary', path: cached, source: 'built with go install' };
    log(`go install finished but ${cached} is missing; falling back to the SDK download`);
  } else {
    log('Go is not installed; falling back to downloading the Temporal dev server through @temporalio/testing');
  }
  return { kind: 'sdk-download' };
}

async function buildWithGo(binDir: string, log: Log): Promise<void> {
  mkdirSync(binDir, { recursive: true });
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${binDir}.`);
  log('The first build downloads and compiles the Temporal server: expect several minutes; later runs reuse it.');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    // -v prints each package as it is compiled: the progress output for a long first build.
    const child = spawn('go', ['install', '-v', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: binDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let compiled = 0;
    let lastError = '';
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        if (line.startsWith('go: downloading')) continue;
        lastError = line;
        compiled += 1;
        if (compiled % 100 === 0) {
          log(`  … ${compiled} packages compiled (${Math.round((Date.now() - started) / 1000)}s), now ${line}`);
        }
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`go install ${TEMPORAL_CLI_MODULE} failed (exit ${code}): ${lastError}`)),
    );
  });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)}s.`);
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

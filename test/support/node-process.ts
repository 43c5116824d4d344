import { ChildProcess, spawn } from 'node:child_process';

export interface NodeProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Runs one of the project's built entry points as a real child process, capturing its output. */
export function runNodeScript(script: string, env: NodeJS.ProcessEnv): NodeProcess {
  return runNode([script], env);
}

/** Runs Node with `args` (a script, or `-e` and code) as a real child process, capturing its output. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, options: { cwd?: string } = {}): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

import { spawn } from 'node:child_process';

/**
 * Polls `url` every `everyMs` from a separate Node process, as a load balancer would, until stopped;
 * resolves with each answer's latency in ms. From another process because a poller sharing the API's
 * event loop cannot see a stall: its own timer fires late and its next request then meets a free loop.
 */
export function pollFromAnotherProcess(url: string, everyMs = 50): { stop: () => Promise<number[]> } {
  const script = `
    const [url, every] = process.argv.slice(1);
    const latencies = [];
    let stopping = false;
    process.stdin.on('end', () => (stopping = true)).resume();
    (async () => {
      while (!stopping) {
        const started = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        latencies.push(response.ok ? performance.now() - started : -response.status);
        await new Promise((resolve) => setTimeout(resolve, Number(every)));
      }
      process.stdout.write(JSON.stringify(latencies));
    })();`;
  const child = spawn(process.execPath, ['-e', script, url, String(everyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let stopped: Promise<number[]> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        child.stdin.end();
        await exited;
        return JSON.parse(output) as number[];
      })()),
  };
}

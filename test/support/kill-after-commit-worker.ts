import path from 'node:path';
import { NodeProcess, runNode } from './node-process';

const REPOSITORY = path.resolve(__dirname, '../..');

/**
 * The production worker (built workflows and activities) as a child process, with one fault added: the
 * first `applyChange` whose change mentions `match` runs to its end — its transaction is committed — and
 * then the process SIGKILLs itself before the SDK can report the activity complete to Temporal. That is
 * the narrowest window a crash can hit ("the row is written, Temporal does not know"), hit every time
 * rather than by a lucky timing. `armFile` must exist for the fault to fire; it is removed when it does,
 * and `${armFile}.fired` holds what the committed attempt returned.
 *
 * The script is plain JavaScript run with `node -e` from the repository root, so it loads exactly the
 * built packages the real worker loads; nothing test-only is compiled into them.
 */
export function runKillAfterCommitWorker(env: {
  taskQueue: string;
  armFile: string;
  match: string;
  databaseUrl?: string;
  temporalAddress?: string;
}): NodeProcess {
  const script = `
    const fs = require('node:fs');
    const { NativeConnection, Worker } = require('@temporalio/worker');
    const { createActivities } = require('@county/activities');
    const { APP_DATABASE_ROLE, createDataSource } = require('@county/persistence');
    (async () => {
      const dataSource = await createDataSource({ url: process.env.DATABASE_URL, role: APP_DATABASE_ROLE }).initialize();
      const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
      const activities = createActivities({ dataSource, delivery: { allowedHosts: [], now: () => new Date() } });
      const applyChange = activities.applyChange;
      activities.applyChange = async (change) => {
        const result = await applyChange(change);
        if (fs.existsSync(process.env.KILL_ARM_FILE) && JSON.stringify(change).includes(process.env.KILL_MATCH)) {
          fs.writeFileSync(process.env.KILL_ARM_FILE + '.fired', JSON.stringify(result));
          fs.unlinkSync(process.env.KILL_ARM_FILE);
          process.kill(process.pid, 'SIGKILL');
        }
        return result;
      };
      const worker = await Worker.create({
        connection,
        taskQueue: process.env.TEMPORAL_TASK_QUEUE,
        workflowsPath: require.resolve('@county/workflows/workflows'),
        activities,
      });
      console.log('worker polling');
      await worker.run();
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  return runNode(
    ['-e', script],
    {
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      KILL_ARM_FILE: env.armFile,
      KILL_MATCH: env.match,
      DATABASE_URL: env.databaseUrl ?? process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: env.temporalAddress ?? process.env.TEMPORAL_ADDRESS,
    },
    { cwd: REPOSITORY },
  );
}

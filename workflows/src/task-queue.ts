/**
 * The task queue every county workflow and activity runs on. Wire name: it never changes once released,
 * or running workflows would be stranded on a queue no worker polls.
 */
export const TASK_QUEUE = 'county-tasks';

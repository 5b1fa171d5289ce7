/**
 * Lambda entry of the stateless-cost benchmark (webpack bundles it to dist/functions/stateless-cost/index.js): the task
 * handler wrapped by the packed runtime. Worker threads load this same file and call `taskHandler`.
 */
import { wrapHandler } from '../../src/runtime';
import { handler as task } from './handler';

export const taskHandler = task;
export const handler = wrapHandler(task, { mode: 'threads', module: { path: __filename, exportName: 'taskHandler' } });

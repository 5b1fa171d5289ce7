/**
 * Lambda entry of the sort benchmark (webpack bundles it to dist/functions/sort/index.js): the task
 * handler wrapped by the packed runtime. Worker threads load this same file and call `taskHandler`.
 */
import { wrapHandler } from '../../src/runtime';
import { handler as task } from './handler';

export const taskHandler = task;
export const handler = wrapHandler(task, { mode: 'async', module: { path: __filename, exportName: 'taskHandler' } });

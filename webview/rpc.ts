// Requests from the page to the host: each carries an id, the reply with that id settles its promise.
import type { HostMessage, ReportMethod, ReportRequests } from '../src/extension/protocol';
import { vscodeApi } from './vscode-api';

type Pending = { resolve: (result: ReportRequests[ReportMethod]['result']) => void; reject: (e: Error) => void };
const pending = new Map<number, Pending>();
let nextId = 1;

/** Sends a request and resolves with the host's typed result (rejects with its error). */
export function request<M extends ReportMethod>(method: M, params: ReportRequests[M]['params']): Promise<ReportRequests[M]['result']> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    vscodeApi.postMessage({ kind: 'request', id, method, params });
  });
}

/** Settles the request a response answers; returns false for any other message. */
export function settleResponse(message: HostMessage): boolean {
  if (message.kind !== 'response') return false;
  const waiting = pending.get(message.id);
  pending.delete(message.id);
  if (waiting) {
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new Error(message.error));
  }
  return true;
}

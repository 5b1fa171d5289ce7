// How a command's failure is named and explained, once for every command (register.ts shows it). Pure
// (no `vscode`), so unit-tested.
import { HandlerFileError } from '../../engine/bundle';
import { explainAwsError } from '../platform/aws-errors';
import type { ProPackSettings } from '../settings';
import { failureReason } from './handler-errors';

/** A command's failure with what it was doing ("profiling echo", "run of video"), so the log line names it. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
  constructor(
    readonly action: string,
    override readonly cause: unknown,
  ) {
    super(`${action} failed`, { cause });
  }
}

/** Runs `body`; an error it throws becomes a CommandFailed naming `action`. */
export async function failingAs<T>(action: string, body: () => PromiseLike<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    throw e instanceof CommandFailed ? e : new CommandFailed(action, e);
  }
}

/**
 * The one-line reason for a failure: on AWS the credential-aware explanation (what to run when the SSO
 * session expired), else the error's first line; a handler file the runtime cannot load is named by its
 * workspace-relative path.
 */
export function explainFailure(
  e: unknown,
  settings: Pick<ProPackSettings, 'platform' | 'awsProfile'>,
  relative: (file: string) => string,
): string {
  return settings.platform === 'aws' && !(e instanceof HandlerFileError)
    ? explainAwsError(e, settings.awsProfile)
    : failureReason(e, relative);
}

/** The log line and the notification for a failed command (`commandId` names it when it gave no action). */
export function failureMessages(
  e: unknown,
  commandId: string,
  settings: Pick<ProPackSettings, 'platform' | 'awsProfile'>,
  relative: (file: string) => string,
): { log: string; notification: string } {
  const action = e instanceof CommandFailed ? e.action : commandId;
  const reason = explainFailure(e instanceof CommandFailed ? e.cause : e, settings, relative);
  return { log: `${action} failed: ${reason}`, notification: `ProPack: ${action} failed: ${reason}` };
}

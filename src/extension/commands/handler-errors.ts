// One-line reasons for a command that failed on a handler. Pure (no `vscode`), so unit-tested.
import { HandlerFileError, unpackableReason } from '../../engine/bundle';

/** "cannot profile resize (resize.py): Python handlers cannot be packed yet (…)": the name once, the path as given. */
export function unpackableMessage(verb: string, functionName: string, relativeFile: string, reason: string): string {
  return `cannot ${verb} ${functionName} (${relativeFile}): ${reason}`;
}

/** The unpackable message for a handler file, or undefined when the file can be packed. */
export function checkPackable(verb: string, functionName: string, file: string, relative: (file: string) => string): string | undefined {
  const reason = unpackableReason(file);
  return reason ? unpackableMessage(verb, functionName, relative(file), reason) : undefined;
}

/**
 * The first line of an error for a notification; a handler file the runtime cannot load is named by its
 * workspace-relative path (`relative`), not the absolute one the bundler saw.
 */
export function failureReason(e: unknown, relative: (file: string) => string): string {
  if (e instanceof HandlerFileError) return `${relative(e.file)}: ${e.reason}`;
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

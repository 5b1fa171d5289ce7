import { zipSync, strToU8, type Zippable } from 'fflate';
import { CreateFunctionCommand, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';

/** Unix mode bits of a zip entry, as fflate writes them (`os` 3 = Unix, mode in the high half). */
const EXECUTABLE = { os: 3, attrs: 0o755 << 16 };
const PLAIN = { os: 3, attrs: 0o644 << 16 };

/**
 * A deployment package: `bootstrap` (executable, 'plain' without execute bits, or 'none') runs `runtime.js`
 * with this Node (or is `files.bootstrap` when given), and the other files as given.
 */
export function providedZip(files: Record<string, string>, bootstrap: 'executable' | 'plain' | 'none' = 'executable'): Uint8Array {
  const entries: Zippable = {};
  for (const [name, text] of Object.entries(files)) entries[name] = [strToU8(text), PLAIN];
  if (files.bootstrap !== undefined && bootstrap === 'executable') entries.bootstrap = [strToU8(files.bootstrap), EXECUTABLE];
  else if (bootstrap !== 'none' && files.bootstrap === undefined)
    entries.bootstrap = [
      strToU8(`#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$LAMBDA_TASK_ROOT/runtime.js"\n`),
      bootstrap === 'executable' ? EXECUTABLE : PLAIN,
    ];
  return zipSync(entries);
}

/** Creates a `provided.al2023` function from `files` (with the bootstrap that runs `runtime.js`); 1,769 MB (one vCPU) unless `extra` says. */
export async function deployProvided(
  lambda: LambdaClient,
  name: string,
  files: Record<string, string>,
  extra: { Timeout?: number; MemorySize?: number; Environment?: { Variables: Record<string, string> }; Runtime?: Runtime } = {},
  bootstrap: 'executable' | 'plain' | 'none' = 'executable',
) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'provided.al2023' as Runtime,
      Handler: 'my.handler',
      Role: 'arn:aws:iam::123456789012:role/test',
      Code: { ZipFile: providedZip(files, bootstrap) },
      MemorySize: 1769,
      ...extra,
    }),
  );
}

/** Runs the `propack` CLI in this process, as `main` does for the bin, collecting what it prints. */
import { main } from '../../src/cli/main';

export interface CliResult {
  code: number;
  out: string[];
  err: string[];
}

/** `propack <argv…>`: exit code and stdout/stderr lines. */
export async function runCli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out, err };
}

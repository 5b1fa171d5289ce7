/** The pip command that vendors a Python package's requirements.txt, and the one-line reading of its failure (pure). */
import type { Architecture } from '../core/types';

/** Where the vendored packages will run: the embedded platform (this machine's python3) or Lambda. */
export interface PipTarget {
  platform: 'local' | 'aws';
  architecture: Architecture;
  /** The function's Lambda runtime, `python3.X`; on AWS its version picks the wheels. */
  runtime: string;
}

/** Lambda's platform tag for an architecture: manylinux2014 (glibc 2.17) wheels run on Amazon Linux 2 and 2023. */
function lambdaPlatformTag(architecture: Architecture): string {
  return architecture === 'arm64' ? 'manylinux2014_aarch64' : 'manylinux2014_x86_64';
}

/** `3.12` of `python3.12`; undefined for a runtime that is not `python3.X`. */
export function pythonVersionOf(runtime: string): string | undefined {
  return /^python(3\.\d+)$/.exec(runtime)?.[1];
}

/**
 * Arguments after `<python>` that install `requirements.txt` (relative to the cwd, the package folder) into
 * `targetDir`. For AWS only binary wheels for Lambda's platform and Python version, as `sam build` does.
 */
export function pipInstallArgs(targetDir: string, target: PipTarget): string[] {
  const args = ['-m', 'pip', 'install', '-r', 'requirements.txt', '--target', targetDir, '--no-input', '--disable-pip-version-check'];
  // The zip leaves *.pyc out (Lambda compiles on import): compiling them would only cost time.
  args.push('--no-compile');
  if (target.platform === 'aws') {
    const version = pythonVersionOf(target.runtime);
    if (!version) throw new Error(`vendoring for AWS needs a python3.X runtime, got ${target.runtime}`);
    args.push(
      '--platform',
      lambdaPlatformTag(target.architecture),
      '--implementation',
      'cp',
      '--python-version',
      version,
      '--only-binary=:all:',
    );
  }
  return args;
}

/** What the vendored output depends on besides requirements.txt itself: the python and the target flags. */
export function pipCacheKeyParts(python: string, target: PipTarget): string[] {
  return [python, ...pipInstallArgs('<target>', target)];
}

/** One line saying why pip failed and what to do, from its stderr (and stdout) text. */
export function pipFailureLine(output: string, target: PipTarget): string {
  if (/No module named pip\b/.test(output))
    return 'requirements.txt needs pip: install python3-pip or set PROPACK_PYTHON to a Python with pip';
  const missing = /No matching distribution found for (\S+)/.exec(output)?.[1];
  if (missing) {
    if (target.platform === 'aws')
      return `requirements.txt: no ${lambdaPlatformTag(target.architecture)} wheel of ${missing} for Python ${pythonVersionOf(target.runtime) ?? target.runtime} (Lambda needs binary wheels): pin a version that publishes one, or vendor it yourself`;
    return `requirements.txt: pip found no distribution of ${missing}: check its name and version, and the index or --find-links it names`;
  }
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^WARNING:/.test(l));
  const errors = lines.filter((l) => l.startsWith('ERROR:'));
  const last = (errors.length > 0 ? errors[errors.length - 1] : lines[lines.length - 1]) ?? 'no output';
  return `requirements.txt: pip install failed: ${last.replace(/^ERROR:\s*/, '')}`;
}

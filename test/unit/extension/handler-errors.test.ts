import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HandlerFileError } from '../../../src/engine/bundle';
import { checkPackable, failureReason } from '../../../src/extension/commands/handler-errors';

const root = '/home/me/project';
const relative = (file: string): string => (file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file);

describe('handler error messages', () => {
  it('a handler neither Node.js nor Python gets one line: the function named once, the file workspace-relative', () => {
    const py = checkPackable('profile', 'resize', join(root, 'resize.go'), relative);
    assert.equal(
      py,
      'cannot profile resize (resize.go): the handler must be a Node.js module (.js .cjs .mjs .jsx .ts .cts .mts .tsx) or a Python module (.py)',
    );
    const ts = checkPackable('deploy', 'thumbs', join(root, 'src', 'thumbs.rb'), relative);
    assert.equal(
      ts,
      'cannot deploy thumbs (src/thumbs.rb): the handler must be a Node.js module (.js .cjs .mjs .jsx .ts .cts .mts .tsx) or a Python module (.py)',
    );
    for (const m of [py, ts]) {
      assert.ok(m && !m.includes('\n') && !m.includes(root), m);
      // The function's name once (the file name may contain it too).
      assert.equal(m?.match(/\b(resize|thumbs)\b(?!\.)/g)?.length, 1, `the name once: ${m}`);
    }
    assert.equal(checkPackable('profile', 'echo', join(root, 'echo.js'), relative), undefined);
    assert.equal(checkPackable('profile', 'resize', join(root, 'resize.py'), relative), undefined, 'Python runs on the Python runtime');
    assert.equal(
      checkPackable('profile', 'thumbs', join(root, 'src', 'thumbs.ts'), relative),
      undefined,
      'TypeScript is bundled with esbuild',
    );
  });

  it('a bundling error names the file relative to the workspace; other errors keep their first line', () => {
    const e = new HandlerFileError(
      join(root, 'lib', 'h.mjs'),
      'ES module handlers cannot be packed yet: the packed runtime loads a CommonJS .js or .cjs file',
    );
    assert.ok(e.message.includes(root), 'the engine error itself carries the full path (the CLI prints it)');
    assert.equal(
      failureReason(e, relative),
      'lib/h.mjs: ES module handlers cannot be packed yet: the packed runtime loads a CommonJS .js or .cjs file',
    );
    assert.equal(failureReason(new Error('first\nsecond'), relative), 'first');
    assert.equal(failureReason('plain', relative), 'plain');
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectHandlers, handlerAtLine, handlerLanguage } from '../../../src/extension/handlers/detect-handlers';

describe('handler detection', () => {
  it('finds CommonJS and ESM exports named handler', () => {
    const text = ['const x = 1;', 'exports.handler = async (event) => {', '  return 1;', '};', 'module.exports.other = 2;'].join('\n');
    assert.deepEqual(detectHandlers(text, 'javascript'), [{ exportName: 'handler', line: 1 }]);
    assert.deepEqual(detectHandlers('export async function handler(e) {}\n', 'javascript'), [{ exportName: 'handler', line: 0 }]);
    assert.deepEqual(detectHandlers('\nexport const handler = async () => 1;\n', 'javascript'), [{ exportName: 'handler', line: 1 }]);
    assert.deepEqual(detectHandlers('module.exports.handler = function (e, c, cb) {}', 'javascript'), [{ exportName: 'handler', line: 0 }]);
  });

  it('takes extra names (from template.yaml / serverless.yml) and ignores unexported or other names', () => {
    const text = [
      'function handler() {}',
      'exports.resize = async () => 1;',
      'exports.thumbnail = async () => 2;',
      'exports.helper = 3;',
    ].join('\n');
    assert.deepEqual(
      detectHandlers(text, 'javascript', ['resize', 'thumbnail']).map((h) => h.exportName),
      ['resize', 'thumbnail'],
    );
    assert.deepEqual(detectHandlers(text, 'javascript'), []);
  });

  it('finds top-level Python functions, not methods or commented ones', () => {
    const text = [
      'import json',
      '',
      'def lambda_handler(event, context):',
      '    return 1',
      '',
      'class A:',
      '    def handler(self):',
      '        pass',
      '# def handler(e, c):',
      'async def handler(event, context):',
      '    pass',
    ].join('\n');
    assert.deepEqual(detectHandlers(text, 'python'), [
      { exportName: 'lambda_handler', line: 2 },
      { exportName: 'handler', line: 9 },
    ]);
  });

  it('reports each name once, at its first declaration', () => {
    assert.deepEqual(detectHandlers('exports.handler = 1;\nexports.handler = 2;', 'javascript'), [{ exportName: 'handler', line: 0 }]);
  });

  it('maps a cursor line to the nearest handler at or above it', () => {
    const hs = [
      { exportName: 'a', line: 2 },
      { exportName: 'b', line: 10 },
    ];
    assert.equal(handlerAtLine(hs, 0), undefined);
    assert.equal(handlerAtLine(hs, 2)?.exportName, 'a');
    assert.equal(handlerAtLine(hs, 9)?.exportName, 'a');
    assert.equal(handlerAtLine(hs, 40)?.exportName, 'b');
  });

  it('knows which languages have handlers', () => {
    assert.deepEqual(['javascript', 'typescript', 'python', 'json', 'app.mjs', 'app.py', 'README.md'].map(handlerLanguage), [
      'javascript',
      'javascript',
      'python',
      undefined,
      'javascript',
      'python',
      undefined,
    ]);
  });
});

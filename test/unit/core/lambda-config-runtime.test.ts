import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeProblem } from '../../../src/core/lambda-config';
import { Unresolved, type DeclaredFunction } from '../../../src/core/templates/declared';
import { declaredRuntime } from '../../../src/extension/commands/deploy-handler';

const declared = (value: unknown): DeclaredFunction => ({
  functionName: 'resize',
  modulePath: 'src/app',
  exportName: 'handler',
  file: 'template.yaml',
  key: 'ResizeFunction',
  settings: { environment: {}, runtime: { value, from: 'Globals.Function.Runtime' } },
});

test('a declared runtime must run the package ProPack built: Node.js for a bundle, Python for a Python package', () => {
  assert.equal(runtimeProblem('nodejs22.x', 'node'), undefined);
  assert.equal(runtimeProblem('python3.11', 'python'), undefined);
  assert.match(
    runtimeProblem('python3.11', 'node') ?? '',
    /^must be one of nodejs18\.x, nodejs20\.x, nodejs22\.x for a Node\.js handler, got "python3\.11"$/,
  );
  assert.match(runtimeProblem('nodejs16.x', 'node') ?? '', /got "nodejs16\.x"$/);
  assert.match(runtimeProblem(3.12, 'python') ?? '', /for a Python handler, got 3\.12$/);
});

test("the template's Runtime is deployed when it fits, and a mismatch is one line naming the file, function and field", () => {
  assert.equal(declaredRuntime(declared('nodejs22.x'), false), 'nodejs22.x');
  assert.equal(declaredRuntime(declared('python3.13'), true), 'python3.13');
  assert.equal(declaredRuntime(undefined, false), undefined);
  assert.equal(declaredRuntime({ ...declared('x'), settings: { environment: {} } }, false), undefined);
  assert.throws(
    () => declaredRuntime(declared('python3.12'), false),
    /^SettingsError: template\.yaml: ResizeFunction: Runtime \(Globals\.Function\.Runtime\) must be one of nodejs18\.x, nodejs20\.x, nodejs22\.x for a Node\.js handler, got "python3\.12"$/,
  );
  assert.throws(() => declaredRuntime(declared(new Unresolved('!Ref Rt', 'parameter Rt has no Default')), false), /Runtime .* got /);
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionNameFor, parseSamTemplate, parseServerlessYml } from '../../../src/extension/handlers/serverless-config';

describe('deployment files', () => {
  it('reads SAM functions with CodeUri, FunctionName and comments', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  ResizeFunction:',
      '    Type: AWS::Serverless::Function # the resizer',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.resize',
      '      Runtime: nodejs20.x',
      '  Thumbs:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      FunctionName: thumbnails',
      "      Handler: 'lib/thumbs.lambda_handler'",
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      'Outputs:',
      '  Handler: not.a.function',
    ].join('\n');
    assert.deepEqual(parseSamTemplate(text), [
      { functionName: 'ResizeFunction', modulePath: 'src/app', exportName: 'resize' },
      { functionName: 'thumbnails', modulePath: 'lib/thumbs', exportName: 'lambda_handler' },
    ]);
  });

  it('reads Serverless Framework functions', () => {
    const text = ['service: imgs', 'functions:', '  hello:', '    handler: handler.hello', '    events:', '      - http: GET hello', '  world:', '    handler: src/world.main', 'plugins:', '  - x'].join('\n');
    assert.deepEqual(parseServerlessYml(text), [
      { functionName: 'hello', modulePath: 'handler', exportName: 'hello' },
      { functionName: 'world', modulePath: 'src/world', exportName: 'main' },
    ]);
  });

  it('names a handler by its declaration, else by its file', () => {
    const declared = [{ functionName: 'ResizeFunction', modulePath: 'src/app', exportName: 'resize' }];
    assert.equal(functionNameFor('src/app', 'resize', declared), 'ResizeFunction');
    assert.equal(functionNameFor('src/app', 'handler', declared), 'app');
    assert.equal(functionNameFor('video', 'handler', []), 'video');
  });

  it('ignores files without the section and malformed handlers', () => {
    assert.deepEqual(parseSamTemplate('Outputs:\n  X: 1\n'), []);
    assert.deepEqual(parseServerlessYml('functions:\n  a:\n    handler: nodot\n'), []);
  });
});

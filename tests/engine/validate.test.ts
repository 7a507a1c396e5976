/** engine.checkName: the one rule for names that become file or folder names (report outputs, models). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkName } from '../../src/lib/engine';
import * as report from '../../src/lib/report';
import { getOrTrain } from '../../src/lib/models';

test('checkName accepts one path segment of letters, digits, ".", "_", "-" starting with a letter or digit, and returns it', () => {
  for (const ok of ['p1-demo-A2E-s21', 'fig.v2', 'table_1', '0tour']) assert.equal(checkName('w', ok), ok);
  for (const bad of ['', '.hidden', '..', '../x', 'a/b', 'a\\b', '-x', '_x', 'x y', 'ü']) {
    assert.throws(() => checkName('where', bad, 'model name'), new RegExp(`^Error: where: model name "${bad.replace(/[.\\]/g, '\\$&')}" must use only letters`));
  }
  assert.throws(() => checkName('w', 42 as unknown as string), /w: name "42" must use only/);
});

test('report outputs and model names follow the same rule', async () => {
  assert.throws(() => report.showTable([{ a: 1 }], { name: '_x' }), /report: output name "_x" must use only/);
  await assert.rejects(getOrTrain('_x', {}, async () => { throw new Error('not reached'); }), /getOrTrain: model name "_x" must use only/);
});

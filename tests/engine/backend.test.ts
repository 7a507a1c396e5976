import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setup } from '../helpers';
import { backendName, describe, requestedBackend, ready } from '../../src/lib/engine';

before(setup);

test('engine picks a backend and names it', async () => {
  const name = await ready();
  assert.ok(['node', 'wasm', 'cpu'].includes(name));
  assert.equal(backendName(), name);
  assert.match(describe(), new RegExp(`backend ${name}`));
  assert.equal(await ready(), name, 'ready() is idempotent');
});

test('without tfjs-node the default is wasm', async (t) => {
  if (process.env.ROBUSTLENS_BACKEND || tf.findBackend('tensorflow')) return t.skip('native backend present or backend forced');
  assert.equal(await ready(), 'wasm');
});

test('an unknown backend name is an error listing the valid ones', () => {
  assert.throws(() => requestedBackend({ ROBUSTLENS_BACKEND: 'gpu' }), /"gpu".*Valid: node, wasm, cpu/);
  assert.equal(requestedBackend({ ROBUSTLENS_BACKEND: 'CPU' }), 'cpu');
  assert.equal(requestedBackend({}), null);
});

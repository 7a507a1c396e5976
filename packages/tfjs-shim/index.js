// danfojs-node requires '@tensorflow/tfjs-node'; package.json's overrides point that name here.
// Re-exporting the project's own @tensorflow/tfjs (resolved from the project root, not from a
// second copy) keeps one tfjs in the process: one engine, one kernel and gradient registry.
'use strict';
module.exports = require('@tensorflow/tfjs');

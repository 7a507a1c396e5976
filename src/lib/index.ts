/**
 * robustlens: the public surface. Notebooks import only this file (compiled, from dist/).
 *
 * Namespaces follow the layering in conventions.md: engine, data, audio, models, train, attacks,
 * explain, metrics, stats, report, papers.
 */
import * as tf from '@tensorflow/tfjs';
import * as engine from './engine';
import * as report from './report';
import * as papers from './papers';

export { tf, engine, report, papers };

/**
 * robustlens: the public surface. Notebooks import only this file (compiled, from dist/):
 *
 *   import * as rl from '../dist/lib';
 *   await rl.engine.ready();
 *
 * Namespaces follow the layering in conventions.md, bottom to top: engine; data, audio; models;
 * train; attacks, explain; metrics, stats; report; papers.
 */
import * as tf from '@tensorflow/tfjs';
import * as engine from './engine';
import * as data from './data';
import * as audio from './audio';
import * as models from './models';
import * as train from './train';
import * as attacks from './attacks';
import * as explain from './explain';
import * as metrics from './metrics';
import * as stats from './stats';
import * as report from './report';
import * as papers from './papers';

export { tf, engine, data, audio, models, train, attacks, explain, metrics, stats, report, papers };

/**
 * The attack logs the authors of P1 published (Hoedt, Flexer, Widmer 2025, arXiv 2508.03780;
 * CPJKU/robustness_mer_bottleneck, runs/adversaries; MIT, carried in data/hoedt2025-attack-logs):
 * 5 architectures x 10 seeds, each attacked on the 36 test excerpts with the paper's attack
 * (1000 iterations). Read into AttackRun records for the P1 statistics (predLast = the log's
 * new-pred, the last iterate; there is no kept-delta prediction in the logs).
 *
 *   models.csv: run, seed, architecture;   runs/<run>/log.csv: file, epoch, db, norm, converged,
 *   true-label, orig-pred, new-pred (numpy array strings "[[a b ...]]", possibly over several lines)
 *
 * The architecture of each run comes from models.csv (the authors' analysis code's mapping; some
 * hparams.yaml files name another architecture). A missing folder or file, a malformed array or a
 * row count other than expected is an error naming the file.
 *
 * @example
 *   const runs = loadAuthorsLogs();   // 50 AttackRun, 36 excerpts each
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, parseCsv } from '../../data';
import type { AttackRun, ExcerptRecord } from './attackRecords';
import { MODEL_KINDS } from './config';
import type { ModelKind } from './config';

/** "[[0.1 0.2\n 0.3]]" -> [0.1, 0.2, 0.3] (the authors' numpy array strings). */
export function parseNumpyRow(s: string, where: string): number[] {
  const body = s.trim();
  if (!/^\[\[[^\[\]]*\]\]$/.test(body)) throw new Error(`loadAuthorsLogs: ${where}: expected a numpy array string "[[a b ...]]", got ${JSON.stringify(s.slice(0, 60))}.`);
  const v = body.slice(2, -2).trim().split(/\s+/).filter(Boolean).map(Number);
  if (!v.length || v.some((x) => !Number.isFinite(x))) throw new Error(`loadAuthorsLogs: ${where}: non-numeric value in ${JSON.stringify(s.slice(0, 60))}.`);
  return v;
}

export function loadAuthorsLogs(dir: string = dataDir('hoedt2025-attack-logs'), options: { excerpts?: number } = {}): AttackRun[] {
  const expected = options.excerpts ?? 36;
  const models = join(dir, 'models.csv');
  if (!existsSync(models)) throw new Error(`loadAuthorsLogs: ${models} not found; the logs ship in data/hoedt2025-attack-logs (or pass their folder).`);
  const m = parseCsv(readFileSync(models, 'utf8'), { source: models });
  const col = (name: string) => {
    const j = m.columns.indexOf(name);
    if (j < 0) throw new Error(`loadAuthorsLogs: ${models} lacks column "${name}" (has ${m.columns.join(', ')}).`);
    return j;
  };
  const [cRun, cSeed, cArch] = [col('run'), col('seed'), col('architecture')];
  return m.rows.map((row) => {
    const kind = row[cArch] as ModelKind;
    if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw new Error(`loadAuthorsLogs: ${models}: unknown architecture "${row[cArch]}".`);
    const file = join(dir, 'runs', row[cRun], 'log.csv');
    if (!existsSync(file)) throw new Error(`loadAuthorsLogs: ${file} not found.`);
    const t = parseCsv(readFileSync(file, 'utf8'), { source: file });
    const j = (name: string) => {
      const k = t.columns.indexOf(name);
      if (k < 0) throw new Error(`loadAuthorsLogs: ${file} lacks column "${name}".`);
      return k;
    };
    const [cf, cdb, ct, co, cn] = [j('file'), j('db'), j('true-label'), j('orig-pred'), j('new-pred')];
    if (t.rows.length !== expected) throw new Error(`loadAuthorsLogs: ${file} has ${t.rows.length} excerpts, expected ${expected}.`);
    const excerpts: ExcerptRecord[] = t.rows.map((r, i) => {
      const where = `${file} line ${t.lines[i]}`;
      const id = /(\d+)\.mp3\.spec/.exec(r[cf]);
      if (!id) throw new Error(`loadAuthorsLogs: ${where}: file "${r[cf]}" is not an excerpt name like ['146.mp3.spec'].`);
      const snrDb = Number(r[cdb]);
      if (!Number.isFinite(snrDb)) throw new Error(`loadAuthorsLogs: ${where}: db "${r[cdb]}" is not a number.`);
      return { excerpt: id[1], yTrue: parseNumpyRow(r[ct], where), predClean: parseNumpyRow(r[co], where), predLast: parseNumpyRow(r[cn], where), snrDb };
    });
    return { kind, seed: Number(row[cSeed]), excerpts };
  });
}

/**
 * P1's results recomputed from the authors' own attack logs (Hoedt, Flexer, Widmer 2025, arXiv
 * 2508.03780; loadAuthorsLogs) with this library's statistics, beside the paper's printed numbers:
 * Fig. 3 (median MAE increase, mean correlation after attack, mean approximate SNR; fig3Table),
 * the paired t-tests (pairedMaeTest, n = 360), Table 1 (clean corrAvg and MAE, mean +- std over
 * seeds) and Fig. 4's spread outside [0, 1] (fig4Spread, the figure's seed 21). It shows that
 * our analysis is the authors' analysis: what differs in our own runs is models and data.
 *
 * `agrees` compares to the printed precision: Fig. 3 and Table 1 to 2 decimals, t to 1 decimal,
 * the SNR rounded to whole dB inside the printed range (~35-36 / ~32-33).
 *
 * @example
 *   const r = replayAuthors(loadAuthorsLogs());
 *   r.fig3Paper.every((row) => row.agrees); // true
 */
import { EMOTION_NAMES } from '../../audio';
import { mean, std } from '../../stats';
import type { AttackRun } from './attackRecords';
import { MODEL_KINDS, PAPER } from './config';
import type { ModelKind } from './config';
import { corrAvg } from './corrAvg';
import { fig3Table } from './fig3Table';
import type { Fig3Row } from './fig3Table';
import { fig4Spread } from './fig4Spread';
import type { Fig4SpreadRow } from './fig4Spread';
import { mae } from './mae';
import { maeIncrease } from './maeIncrease';
import { meanSnrDb } from './meanSnrDb';
import { pairedMaeTest } from './pairedMaeTest';

export interface AuthorsReplay {
  /** Per run (model, seed): the Fig. 3 points. */
  perSeed: { model: ModelKind; seed: number; maeIncrease: number; corrAfter: number; snrDb: number }[];
  /** Fig. 3 per model (figures/p1_authors_fig3.csv). */
  fig3: { model: ModelKind; maeIncrease: number; corrAfter: number; snrDb: number }[];
  /** Fig. 3 beside the paper, with agreement to the printed precision. */
  fig3Paper: (Fig3Row & { paperMaeIncrease: number; paperCorrAfter: number; paperSnrDb: string; agrees: boolean })[];
  /** The paired t-tests (figures/p1_authors_ttests.csv). */
  tTests: { a: ModelKind; b: ModelKind; t: number; p: number; n: number }[];
  tTestsPaper: { a: ModelKind; b: ModelKind; t: number; paperT: number; p: number; paperP: string; n: number; paperN: number; agrees: boolean }[];
  /** Table 1 from the logs' clean predictions (population std over seeds, as the authors' numpy .std()). */
  table1: { model: ModelKind; seeds: number; corr: number; corrStd: number; paperCorr: number; paperCorrStd: number; mae: number; paperMae: number; agrees: boolean }[];
  /** Fig. 4's spread of adversarial tension / tender predictions outside [0, 1] (seed 21, as the figure). */
  fig4: Fig4SpreadRow[];
}

/** Does `ours` print as `printed` with `decimals` decimals? */
export function agreesToPrinted(ours: number, printed: number, decimals: number): boolean {
  return Number(ours.toFixed(decimals)) === Number(printed.toFixed(decimals));
}

const popStd = (v: number[]) => (v.length > 1 ? std(v) * Math.sqrt((v.length - 1) / v.length) : 0);

export function replayAuthors(runs: AttackRun[], options: { fig4Seed?: number } = {}): AuthorsReplay {
  if (!runs.length) throw new Error('replayAuthors: no runs (load them with loadAuthorsLogs()).');
  const kinds = MODEL_KINDS.filter((k) => runs.some((r) => r.kind === k));
  const fig3Rows = fig3Table(runs, 'last');
  const tests = PAPER.tTests.filter((t) => kinds.includes(t.a) && kinds.includes(t.b)).map((t) => ({ paper: t, r: pairedMaeTest(runs, t.a, t.b, 'last') }));
  const table1 = kinds.map((k) => {
    const rs = runs.filter((r) => r.kind === k);
    const c = rs.map((r) => corrAvg(r.excerpts, 'clean')), m = rs.map((r) => mae(r.excerpts, 'clean'));
    const p = PAPER.table1[k];
    const row = { model: k, seeds: rs.length, corr: mean(c), corrStd: popStd(c), paperCorr: p.corr, paperCorrStd: p.corrStd, mae: mean(m), paperMae: p.mae };
    return { ...row, agrees: agreesToPrinted(row.corr, p.corr, 2) && agreesToPrinted(row.corrStd, p.corrStd, 2) && agreesToPrinted(row.mae, p.mae, 2) };
  });
  const names = ['tension', 'tender'];
  return {
    perSeed: runs.map((r) => ({ model: r.kind, seed: r.seed, maeIncrease: maeIncrease(r.excerpts, 'last'), corrAfter: corrAvg(r.excerpts, 'last'), snrDb: meanSnrDb(r.excerpts) })),
    fig3: fig3Rows.map(({ model, maeIncrease: mi, corrAfter, snrDb }) => ({ model, maeIncrease: mi, corrAfter, snrDb })),
    fig3Paper: fig3Rows.map((r) => {
      const [lo, hi] = PAPER.snrDb[r.model];
      const agrees = agreesToPrinted(r.maeIncrease, PAPER.maeIncrease[r.model], 2) && agreesToPrinted(r.corrAfter, PAPER.corrAfter[r.model], 2) &&
        Math.round(r.snrDb) >= lo && Math.round(r.snrDb) <= hi;
      return { ...r, paperMaeIncrease: PAPER.maeIncrease[r.model], paperCorrAfter: PAPER.corrAfter[r.model], paperSnrDb: `~${lo}-${hi}`, agrees };
    }),
    tTests: tests.map(({ r }) => ({ a: r.a, b: r.b, t: r.t, p: r.p, n: r.n })),
    tTestsPaper: tests.map(({ paper, r }) => ({
      a: r.a, b: r.b, t: r.t, paperT: paper.t, p: r.p, paperP: paper.p, n: r.n, paperN: paper.n,
      agrees: agreesToPrinted(r.t, paper.t, 1) && r.n === paper.n && r.p < 0.001,
    })),
    table1,
    fig4: fig4Spread(runs, { emotions: names.map((e) => (EMOTION_NAMES as readonly string[]).indexOf(e)), names, seed: options.fig4Seed ?? 21 }),
  };
}

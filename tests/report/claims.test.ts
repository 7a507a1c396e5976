/** report.showClaims: the criterion beside each verdict, the excluded list under the table, CSV on request. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as report from '../../src/lib/report';
import type { Claim } from '../../src/lib/stats';

process.env.ROBUSTLENS_FIGURES = mkdtempSync(join(tmpdir(), 'rl-claims-'));

const claims: Claim[] = [
  { claim: 'A2M2E is more robust than A2E', paper: '0.98 vs 2.37', ours: '1.10 vs 2.00, p = 0.01', criterion: 'paired t-test, two-sided, p < 0.05, n >= 5 songs', verdict: 'holds' },
  { claim: 'robust > standard', paper: 'claimed', ours: '3 of 5 seeds', criterion: 'bootstrap 95% CI of the difference excludes 0, n >= 10 images', verdict: 'too few', excluded: ['seed 1: collapsed (accuracy at chance)', 'seed 4: gradient-masked'] },
];

function captured(f: () => void): string {
  const quiet = process.env.ROBUSTLENS_QUIET;
  delete process.env.ROBUSTLENS_QUIET;
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((s: string) => ((out += s), true)) as never;
  try {
    f();
  } finally {
    process.stdout.write = write;
    if (quiet !== undefined) process.env.ROBUSTLENS_QUIET = quiet;
  }
  return out;
}

test('claimRows puts the criterion beside the verdict; excludedLines names the claim', () => {
  const rows = report.claimRows(claims);
  assert.deepEqual(Object.keys(rows[0]), ['claim', 'paper', 'ours', 'verdict', 'criterion', 'excluded']);
  assert.equal(rows[1].excluded, 2);
  assert.deepEqual(report.excludedLines(claims), ['robust > standard: seed 1: collapsed (accuracy at chance)', 'robust > standard: seed 4: gradient-masked']);
});

test('showClaims prints the table and the excluded list, and saves the CSV with the reasons', () => {
  const text = captured(() => report.showClaims(claims, { title: 'Claims', name: 'unit_claims' }));
  assert.match(text, /^Claims\n/);
  assert.match(text, /holds\s+paired t-test, two-sided, p < 0\.05, n >= 5 songs/);
  assert.match(text, /Excluded \(left out of the verdicts\):\n- robust > standard: seed 1: collapsed \(accuracy at chance\)\n- robust > standard: seed 4: gradient-masked/);
  const csv = readFileSync(join(report.figuresDir(), 'unit_claims.csv'), 'utf8').split('\n');
  assert.equal(csv[0], 'claim,paper,ours,verdict,criterion,excluded');
  assert.match(csv[2], /too few,.*,seed 1: collapsed \(accuracy at chance\); seed 4: gradient-masked$/);
  assert.match(captured(() => report.showClaims([claims[0]])), /Excluded: nothing\./);
});

test('showClaims rejects rows outside the contract', () => {
  assert.throws(() => report.showClaims([{ ...claims[0], verdict: 'held' as never }]), /report\.showClaims: claims\[0\]\.verdict is "held"/);
  assert.throws(() => report.showClaims([]), /no claims to show/);
  assert.throws(() => report.showClaims(claims, { digits: 2 } as never), /unknown option "digits"/);
});

/**
 * Show a paper's claims as one table: the claim, the paper's number, ours, the verdict with its
 * criterion beside it, and what was excluded (each with its reason) listed under the table.
 * The rows are stats.Claim (shared verdict vocabulary, checked); with `name` the table is saved as
 * figures/<name>.csv (excluded joined by '; ').
 *
 * @example
 *   report.showClaims(P1.claims(runs), { title: 'Claims at demo scale', name: 'p1_claims' });
 */
import { checkOptions } from '../engine';
import { checkClaims } from '../stats/claims';
import type { Claim } from '../stats/claims';
import { displayBundle, escapeHtml } from './display';
import { frame, saveTable, toHtml, toText } from './table';

export interface ShowClaimsOptions {
  title?: string;
  /** Save the table as figures/<name>.csv. */
  name?: string;
}

/** The table rows of claims: the Claim fields, the verdict beside its criterion, excluded as a count. */
export function claimRows(claims: Claim[]): Record<string, string | number>[] {
  checkClaims('report.claimRows', claims);
  return claims.map((c) => ({ claim: c.claim, paper: c.paper, ours: c.ours, verdict: c.verdict, criterion: c.criterion, excluded: c.excluded?.length ?? 0 }));
}

/** The excluded items as lines "claim: item" (in claim order). */
export function excludedLines(claims: Claim[]): string[] {
  checkClaims('report.excludedLines', claims);
  return claims.flatMap((c) => (c.excluded ?? []).map((e) => `${c.claim}: ${e}`));
}

export function showClaims(claims: Claim[], options: ShowClaimsOptions = {}): void {
  checkOptions('report.showClaims', options, ['title', 'name']);
  checkClaims('report.showClaims', claims);
  if (claims.length === 0) throw new Error('report.showClaims: no claims to show (give the rows of the paper\'s claims(...) function).');
  const rows = claimRows(claims);
  if (options.name) saveTable(frame(claims.map((c, i) => ({ ...rows[i], excluded: (c.excluded ?? []).join('; ') }))), options.name);
  const excluded = excludedLines(claims);
  const df = frame(rows);
  const listHtml = excluded.length
    ? `<p style="margin:0.4em 0 0 0"><b>Excluded</b> (left out of the verdicts):</p><ul style="margin-top:0">${excluded.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`
    : '<p style="margin:0.4em 0 0 0">Excluded: nothing.</p>';
  const text = [
    ...(options.title ? [options.title] : []),
    toText(df),
    excluded.length ? ['Excluded (left out of the verdicts):', ...excluded.map((e) => `- ${e}`)].join('\n') : 'Excluded: nothing.',
  ].join('\n');
  displayBundle({ 'text/html': toHtml(df, { title: options.title }) + listHtml, 'text/plain': text });
}

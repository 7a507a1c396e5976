/**
 * stats: descriptive statistics, paired/Welch t-tests, Wilcoxon signed-rank, percentile bootstrap,
 * correlations and the distribution functions they need. Pure JavaScript (float64); inputs are
 * arrays, typed arrays or tf.Tensors (read flat).
 */
export type { Sample } from './validate';
export { mean } from './mean';
export { std, variance } from './std';
export { median } from './median';
export { quantile } from './quantile';
export { rank } from './rank';
export { pearson } from './pearson';
export { spearman } from './spearman';
export { pairedTTest } from './pairedTTest';
export type { PairedTTestOptions } from './pairedTTest';
export { welchTTest } from './welchTTest';
export type { WelchTTestOptions } from './welchTTest';
export type { TTestResult, Alternative } from './tTestResult';
export { wilcoxonSignedRank, signedRankPmf } from './wilcoxonSignedRank';
export type { WilcoxonOptions, WilcoxonResult } from './wilcoxonSignedRank';
export { bootstrapCI } from './bootstrapCI';
export type { BootstrapOptions, BootstrapResult } from './bootstrapCI';
export { logGamma } from './logGamma';
export { incompleteBeta } from './incompleteBeta';
export { incompleteGammaP, incompleteGammaQ } from './incompleteGamma';
export { normalCdf } from './normalCdf';
export { normalQuantile } from './normalQuantile';
export { studentTCdf, studentTTwoSided } from './studentTCdf';
export { studentTQuantile } from './studentTQuantile';
export { verdictFromTest, verdictFromInterval, checkClaims, VERDICTS } from './claims';
export type { Verdict, Claim, Direction, VerdictFromTestOptions, VerdictFromIntervalOptions } from './claims';
export { holm } from './holm';
export { pairedDifference } from './pairedDifference';
export type { PairedDifference, PairedDifferenceOptions } from './pairedDifference';

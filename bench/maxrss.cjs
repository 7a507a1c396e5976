// Preloaded by scripts/bench.mjs into a child node process: report its RSS high-water mark on exit.
process.on('exit', () => process.stderr.write(`BENCH_MAXRSS_MB ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`));

#!/usr/bin/env node
// Screenshot an HTML export in headless Chromium (no network) and count the plotly figures drawn:
//   node scripts/screenshot.mjs notebooks/executed/00_tour.html [out.png]
// Exit 1 when a figure placeholder stayed empty. Needs Chromium (ROBUSTLENS_CHROMIUM or /usr/bin/chromium).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './env.mjs';

const require = createRequire(join(root, 'package.json'));
const [file, out = file.replace(/\.html$/, '.png')] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.error('usage: node scripts/screenshot.mjs EXPORT.html [OUT.png]');
  process.exit(2);
}
const exe = process.env.ROBUSTLENS_CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
if (!exe || exe === 'none') {
  console.error('robustlens: no Chromium found (apt-get install chromium, or set ROBUSTLENS_CHROMIUM).');
  process.exit(2);
}
const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: exe,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.route(/^https?:/, (r) => r.abort()); // the export must be self-contained
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load', timeout: 120000 });
  await page.waitForTimeout(1500);
  const { total, drawn } = await page.evaluate(() => {
    const figs = [...document.querySelectorAll('.robustlens-figure')];
    return { total: figs.length, drawn: figs.filter((f) => f.querySelector('.main-svg')).length };
  });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`robustlens: ${drawn} of ${total} figures drawn; screenshot ${out}`);
  process.exitCode = drawn === total ? 0 : 1;
} finally {
  await browser.close();
}

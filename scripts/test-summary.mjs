// Sums the counters of every TRX file under a folder and prints the closing line CI reads.
// Exit code: 0 when nothing failed and at least one test ran, 1 otherwise.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? 'TestResults';
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.trx')) files.push(p);
  }
};
try { walk(root); } catch { /* no results folder: nothing ran */ }

let passed = 0, failed = 0, skipped = 0;
const failures = [];
for (const f of files) {
  const xml = readFileSync(f, 'utf8');
  const counters = /<Counters\b([^>]*)\/>/.exec(xml);
  if (!counters) continue;
  const attr = (n) => Number((new RegExp(`\\b${n}="(\\d+)"`).exec(counters[1]) ?? [])[1] ?? 0);
  passed += attr('passed');
  failed += attr('failed') + attr('error') + attr('timeout') + attr('aborted');
  skipped += attr('notExecuted');
  for (const m of xml.matchAll(/<UnitTestResult\b[^>]*testName="([^"]*)"[^>]*outcome="Failed"/g)) failures.push(m[1]);
}
for (const name of failures) console.log(`FAILED: ${name}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

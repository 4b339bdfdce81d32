// One benchmark cell in a process of its own: build and synthesize the workload once to warm up, then RUNS
// more times; print one JSON line with the median. With RUNS = 0 the process does one synth only, and its
// peak RSS is that of a single synth (the figure reported), not of several apps built one after another.
'use strict';
const { buildApp } = require('./workload');

const [mode, n, runs, charts] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] || 5), Number(process.argv[5] || 1)];
const times = [];
let bytes = 0;
for (let r = 0; r <= runs; r++) {
  const start = process.hrtime.bigint();
  bytes = buildApp(mode, n, charts).synthYaml().length;
  if (r > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6); // run 0 warms up
}
times.sort((a, b) => a - b);
const median = times.length ? times[Math.floor(times.length / 2)] : undefined;
process.stdout.write(JSON.stringify({ mode, n, charts, median, times, bytes, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');

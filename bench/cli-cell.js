// One CLI run in a process of its own, as `cdk8s-omnia validate` runs (runCli: large inputs are shared
// with a worker thread): prints the exit code and the peak RSS of the process as one JSON line on stderr.
'use strict';
const { runCli } = require('../lib/cli');

runCli(process.argv.slice(2), () => undefined).then((code) => {
  process.stderr.write(`${JSON.stringify({ code, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
});

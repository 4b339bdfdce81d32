// One CLI run in a process of its own, as `cdk8s-omnia validate` runs: prints the exit code and the peak
// RSS of the process as one JSON line on stderr (the CLI's own output goes to stdout, discarded).
'use strict';
const { main } = require('../lib/cli');

const code = main(process.argv.slice(2), () => undefined);
process.stderr.write(`${JSON.stringify({ code, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);

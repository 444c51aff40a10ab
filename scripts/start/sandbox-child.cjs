// @ts-check
// Runs the sandbox CLI as a child of `npm start`. stdin is a pipe from the parent: when the
// parent dies without stopping us (SIGKILL, a closed terminal), the pipe ends and the sandbox
// closes instead of lingering on its port.
'use strict';
const path = require('node:path');

process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
require(path.resolve(__dirname, '..', '..', 'dist', 'sandbox', 'cli.js'));

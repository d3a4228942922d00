// Starts Azurite inside this node process and exits when the process that asked for it is gone,
// so a killed test run or CLI never leaves an emulator behind.
// Usage: node scripts/azurite.cjs <parent-pid|0> [azurite options...]
'use strict';
const path = require('node:path');

const [parentPid, ...args] = process.argv.slice(2);
const entry = path.join(__dirname, '..', 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
process.argv = [process.argv[0], entry, ...args];

const parent = Number(parentPid);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}

require(entry);

#!/usr/bin/env node
'use strict';
// The `till` command for IT staff. It runs the TypeScript sources directly
// (through tsx's loader hooks), so `npx till` works right after `npm ci` with
// no build step, in this very process (a kill reaches the command itself).
require('tsx/cjs');

import('tsx/esm')
  .then(() => require('../src/cli/main.ts').main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`till: unexpected failure: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 70;
    },
  );

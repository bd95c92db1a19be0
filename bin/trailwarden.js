#!/usr/bin/env node
'use strict';
const { main } = require('../dist/cli.js');

// `trailwarden findings | head`: a reader that stops early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`trailwarden: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

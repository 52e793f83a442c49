#!/usr/bin/env node
// A stand-in for the apigw-lsp binary in the unit tests. It appends its arguments (one
// JSON array per line) to $FAKE_APIGW_LSP_LOG, prints $FAKE_APIGW_LSP_STDOUT on stdout
// and $FAKE_APIGW_LSP_STDERR on stderr, then exits with $FAKE_APIGW_LSP_STATUS (default
// 0), or kills itself with $FAKE_APIGW_LSP_SIGNAL.
'use strict';
const fs = require('node:fs');
const env = process.env;
if (env.FAKE_APIGW_LSP_LOG) fs.appendFileSync(env.FAKE_APIGW_LSP_LOG, JSON.stringify(process.argv.slice(2)) + '\n');
if (env.FAKE_APIGW_LSP_STDOUT) process.stdout.write(env.FAKE_APIGW_LSP_STDOUT);
if (env.FAKE_APIGW_LSP_STDERR) process.stderr.write(env.FAKE_APIGW_LSP_STDERR);
if (env.FAKE_APIGW_LSP_SIGNAL) process.kill(process.pid, env.FAKE_APIGW_LSP_SIGNAL);
process.exitCode = Number(env.FAKE_APIGW_LSP_STATUS || 0);

'use strict';
// Runs `apigw-lsp check --format json` and returns its findings, or throws an
// ApiGwLspError that says what went wrong in one sentence (CDK shows the message of a
// plugin's error in its report, as "Validation plugin 'apigw-lsp' failed: ...", and
// fails the synth).

const childProcess = require('node:child_process');
const path = require('node:path');

const INSTALL_HINT =
  'install apigw-lsp (pipx install apigw-lsp, or a release binary: https://github.com/apigw-lsp/apigw-lsp#install), ' +
  "or name the binary with new ApiGwLspValidator({ binary: '/path/to/apigw-lsp' }) or the APIGW_LSP environment variable";

class ApiGwLspError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ApiGwLspError';
  }
}

/**
 * The binary to run and where that choice came from: the `binary` option, else the
 * APIGW_LSP environment variable, else `apigw-lsp` on PATH.
 */
function resolveBinary(option, env = process.env) {
  if (option !== undefined && option !== null && option !== '') {
    return { command: path.resolve(String(option)), source: 'the `binary` option' };
  }
  if (env.APIGW_LSP) return { command: path.resolve(env.APIGW_LSP), source: 'APIGW_LSP' };
  return { command: 'apigw-lsp', source: 'PATH' };
}

/** The end of a process's output, for an error message. */
function tail(text, lines = 15) {
  const all = String(text || '').trimEnd().split(/\r?\n/);
  const shown = all.slice(-lines).join('\n');
  return all.length > lines ? `...\n${shown}` : shown;
}

/**
 * Runs the binary on the templates; returns the parsed findings (an array).
 * Exit status 0 (no error finding) and 1 (error findings) carry the JSON array on
 * stdout; anything else is a failure of the run, not a result.
 */
function check(binary, templatePaths, extraArgs = [], spawn = childProcess.spawnSync) {
  const args = ['check', '--format', 'json', ...extraArgs, '--', ...templatePaths];
  const shown = `${binary.command} check --format json${extraArgs.length ? ' ' + extraArgs.join(' ') : ''} (${templatePaths.length} template${templatePaths.length === 1 ? '' : 's'})`;
  const result = spawn(binary.command, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  if (result.error) {
    const code = result.error.code;
    if (code === 'ENOENT') {
      const what = binary.source === 'PATH' ? ': it is not on PATH' : ` (from ${binary.source}): no such file`;
      throw new ApiGwLspError(`cannot run \`${binary.command}\`${what}; ${INSTALL_HINT}`);
    }
    if (code === 'EACCES') {
      throw new ApiGwLspError(
        `cannot run \`${binary.command}\` (from ${binary.source}): permission denied (is it an executable file?); ${INSTALL_HINT}`,
      );
    }
    throw new ApiGwLspError(`cannot run \`${binary.command}\` (from ${binary.source}): ${result.error.message}`);
  }
  const stderr = tail(result.stderr);
  const said = stderr ? `; it said:\n${stderr}` : ' and said nothing on stderr';
  if (result.status !== 0 && result.status !== 1) {
    const how = result.status === null ? `was killed by ${result.signal}` : `exited with status ${result.status}`;
    throw new ApiGwLspError(`${shown} ${how}${said}`);
  }
  let findings;
  try {
    findings = JSON.parse(result.stdout);
  } catch (e) {
    const out = result.stdout.trim() ? `printed no JSON (${e.message})` : 'printed nothing';
    throw new ApiGwLspError(`${shown} exited with status ${result.status} but ${out}${said}`);
  }
  if (!Array.isArray(findings)) {
    throw new ApiGwLspError(`${shown} printed JSON that is not an array of findings${said}`);
  }
  if (result.status === 1 && !findings.some((f) => f && f.severity === 'error')) {
    // Status 1 means error findings; none means the run and its output disagree.
    throw new ApiGwLspError(`${shown} exited with status 1 but reported no error finding${said}`);
  }
  return findings;
}

module.exports = { check, resolveBinary, ApiGwLspError };

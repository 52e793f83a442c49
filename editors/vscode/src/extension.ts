// The VS Code client of apigw-lsp: finds the server, starts it over stdio for YAML,
// JSON and Terraform files (the server decides which ones are templates), and passes
// the user's severity settings on.

import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import type { Readable } from "stream";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "apigwLsp";
/** The languages the server is started for, in files and in untitled buffers. */
const LANGUAGES = ["yaml", "json", "jsonc", "terraform", "hcl"];
const EXE = process.platform === "win32" ? "apigw-lsp.exe" : "apigw-lsp";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;

/** Where the server is: the setting, else the bundled binary, else PATH. */
function findServer(context: vscode.ExtensionContext): { path?: string; problem?: string } {
  const configured = vscode.workspace
    .getConfiguration(SECTION)
    .get<string>("server.path", "")
    .trim();
  if (configured) {
    return fs.existsSync(configured)
      ? { path: configured }
      : { problem: `apigwLsp.server.path is set to "${configured}", which does not exist.` };
  }
  const bundled = context.asAbsolutePath(path.join("server", EXE));
  if (fs.existsSync(bundled)) {
    return { path: bundled };
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, EXE);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return { path: candidate };
    } catch {
      // not here
    }
  }
  return { problem: "The apigw-lsp server was not found (no bundled binary, nothing on PATH)." };
}

/**
 * Copies the server's log lines (stderr, `<time>  LEVEL target: message`) into the output
 * channel at their own level, so an INFO line is not shown as an error.
 */
function forwardLog(input: Readable, channel: vscode.LogOutputChannel): void {
  readline
    .createInterface({ input, crlfDelay: Infinity, terminal: false })
    .on("line", (line) => {
      const match = /^\S+\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s+(.*)$/.exec(line);
      const level = match?.[1];
      const text = match ? match[2] : line;
      if (level === "ERROR") channel.error(text);
      else if (level === "WARN") channel.warn(text);
      else if (level === "DEBUG") channel.debug(text);
      else if (level === "TRACE") channel.trace(text);
      else channel.info(text);
    });
}

function settings(): unknown {
  const config = vscode.workspace.getConfiguration(SECTION);
  return { apigwLsp: { severity: config.get("severity", {}) } };
}

/** Says the server is missing and how to fix it; does not wait for the user. */
function reportMissing(problem: string): void {
  output.error(problem);
  void vscode.window
    .showErrorMessage(
      `${problem} Install it from an apigw-lsp checkout with "cargo install --locked --path server", or set apigwLsp.server.path to the binary.`,
      "Open Settings",
    )
    .then((choice) => {
      if (choice === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "apigwLsp.server.path");
      }
    });
}

async function start(context: vscode.ExtensionContext, watcher: vscode.FileSystemWatcher): Promise<void> {
  const found = findServer(context);
  if (!found.path) {
    reportMissing(found.problem ?? "The apigw-lsp server was not found.");
    return;
  }
  output.info(`starting ${found.path}`);
  const serverOptions: ServerOptions = {
    command: found.path,
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    // `terraform` is HashiCorp's language id for .tf files, and this extension's own
    // (package.json contributes a bare `terraform` language for .tf, so the server starts
    // without HashiCorp's extension too; VS Code merges the two when both are installed).
    // `hcl` is HashiCorp's HCL extension's id; the server reads both as Terraform.
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    // The server reads {"apigwLsp": {"severity": {...}}} at start and on every
    // workspace/didChangeConfiguration (the whole apigwLsp section is sent).
    initializationOptions: settings(),
    synchronize: {
      configurationSection: SECTION,
      fileEvents: watcher,
    },
    outputChannel: output,
    stdioOptions: { stdout: forwardLog, stderr: forwardLog },
  };
  const next = new LanguageClient(SECTION, "apigw-lsp", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (error) {
    output.error(`apigw-lsp did not start: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage(
      `apigw-lsp (${found.path}) did not start. See "apigw-lsp: Show Output".`,
    );
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("apigw-lsp", { log: true });
  const watcher = vscode.workspace.createFileSystemWatcher("**/.apigw-lsp.toml");
  // Restarts run one after another, so quick setting changes never leave two servers.
  let queue: Promise<void> = Promise.resolve();
  const restart = (): Promise<void> => {
    queue = queue.then(async () => {
      const previous = client;
      client = undefined;
      if (previous) {
        await previous.stop().catch(() => {});
      }
      await start(context, watcher);
    });
    return queue;
  };
  context.subscriptions.push(
    output,
    watcher,
    vscode.commands.registerCommand("apigwLsp.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("apigwLsp.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("apigwLsp.server.path")) {
        void restart();
      }
    }),
  );
  await restart();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}

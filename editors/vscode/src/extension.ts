// The VS Code client of apigw-lsp: finds the server, starts it over stdio for YAML
// and JSON files (the server decides which ones are templates), and passes the
// user's severity settings on.

import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "apigwLsp";
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

function settings(): unknown {
  const config = vscode.workspace.getConfiguration(SECTION);
  return { apigwLsp: { severity: config.get("severity", {}) } };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer(context);
  if (!found.path) {
    output.appendLine(found.problem ?? "server not found");
    const choice = await vscode.window.showErrorMessage(
      `${found.problem} Install it with \`cargo install --locked --path server\` from the apigw-lsp repository, or set apigwLsp.server.path.`,
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "apigwLsp.server.path");
    }
    return;
  }
  output.appendLine(`starting ${found.path}`);
  const serverOptions: ServerOptions = {
    command: found.path,
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      { scheme: "untitled", language: "yaml" },
      { scheme: "untitled", language: "json" },
    ],
    initializationOptions: settings(),
    synchronize: {
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher("**/.apigw-lsp.toml"),
    },
    outputChannel: output,
  };
  client = new LanguageClient(SECTION, "apigw-lsp", serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("apigw-lsp", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("apigwLsp.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("apigwLsp.restartServer", async () => {
      if (client) {
        await client.stop();
        client = undefined;
      }
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("apigwLsp.server.path")) {
        await vscode.commands.executeCommand("apigwLsp.restartServer");
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}

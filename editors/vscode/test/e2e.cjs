// Drives a real VS Code (code-server in headless chromium) with the extension
// installed: the diagnostic and its Problems entry, completion inside
// RequestParameters, the Restart Server and Show Output commands, the severity setting,
// the quick fix, a scaffold accepted at the Resources level, a reference completed after
// CredentialsArn, a Terraform file (its language, its diagnostic, completion of a
// parameter key, the edit that clears the diagnostic), and the notification for a server
// that is not found.
// Exits non-zero at the first failing step, naming it.
// Env: PLAYWRIGHT_DIR, URL, SCREENSHOTS, WORKSPACE (the folder served, holding
// template.yaml and api.tf), CHROMIUM (default /usr/bin/chromium).
const fs = require("fs");
const path = require("path");
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, "node_modules", "playwright-core"));

const URL = process.env.URL;
const SHOTS = process.env.SCREENSHOTS;
const TEMPLATE = path.join(process.env.WORKSPACE, "template.yaml");
const TERRAFORM = path.join(process.env.WORKSPACE, "api.tf");
const LONG = 60_000;

function log(message) {
  console.log(`   ${message}`);
}

async function step(name, page, fn) {
  const started = Date.now();
  try {
    await fn();
    log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    log(`FAIL ${name}: ${error.message.split("\n")[0]}`);
    await page.screenshot({ path: path.join(SHOTS, "failure.png") }).catch(() => {});
    throw error;
  }
}

/**
 * Runs a command from the palette (keybindings like Ctrl+Space can be eaten by the browser),
 * clicking the entry whose label is exactly `name`: the first match may be another command.
 */
async function command(page, name) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { timeout: LONG });
  await page.keyboard.type(name);
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  const row = page
    .locator(".quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: exact }) })
    .first();
  await row.waitFor({ timeout: LONG });
  await row.click();
}

/** Opens a workspace file with Quick Open, clicking its entry once it is listed. */
async function openFile(page, name) {
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget input", { timeout: LONG });
  await page.keyboard.type(name);
  const row = page
    .locator(".quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: name }) })
    .first();
  await row.waitFor({ timeout: LONG });
  await row.click();
  await page.waitForFunction(
    (name) => document.querySelector(".part.editor .tab.active")?.textContent?.includes(name),
    name,
    { timeout: LONG },
  );
  await page.waitForSelector(".part.editor .monaco-editor .view-lines", { timeout: LONG });
}

/**
 * Saves the active editor, which has unsaved changes, and returns template.yaml as written:
 * the editor's whole text (the view renders only the lines in sight).
 */
async function saveTemplate(page) {
  const stamp = () => fs.statSync(TEMPLATE, { bigint: true }).mtimeNs;
  const before = stamp();
  await command(page, "File: Save");
  const deadline = Date.now() + LONG;
  while (stamp() === before) {
    if (Date.now() > deadline) throw new Error("File: Save did not write template.yaml");
    await page.waitForTimeout(100);
  }
  // Written whole once the tab no longer shows unsaved changes.
  await page.waitForFunction(
    () => {
      const tab = document.querySelector(".part.editor .tab.active");
      return tab?.textContent?.includes("template.yaml") && !tab.classList.contains("dirty");
    },
    null,
    { timeout: LONG },
  );
  return fs.readFileSync(TEMPLATE, "utf8");
}

/** The status bar's count of problems in open files: "No Problems", "Errors: 1, Warnings: 2". */
async function problems(page) {
  const label = await page.evaluate(() => {
    const item = document.getElementById("status.problems");
    return item?.querySelector("[aria-label]")?.getAttribute("aria-label") ?? item?.getAttribute("aria-label") ?? "";
  });
  if (!/^(No Problems|(Errors|Warnings|Infos): \d)/.test(label)) {
    throw new Error(`the status bar's Problems item reads "${label}"`);
  }
  return label;
}

/**
 * Waits until the Problems count is `expected` and stays so for 2 s: the server publishes
 * diagnostics 60 ms after an edit, so a finding about the edit would show by then.
 */
async function problemsStayAt(page, expected) {
  const deadline = Date.now() + LONG;
  let since = null;
  for (;;) {
    const now = await problems(page);
    if (now !== expected) since = null;
    else if ((since ??= Date.now()) <= Date.now() - 2000) return;
    if (Date.now() > deadline) throw new Error(`the Problems count is "${now}", "${expected}" before the edit`);
    await page.waitForTimeout(100);
  }
}

/** Moves the focus of the open suggest widget to the item labelled `label`. */
async function focusSuggestion(page, label) {
  const labels = () =>
    page.evaluate(() =>
      [...document.querySelectorAll(".suggest-widget.visible .monaco-list-row .label-name")].map((e) => e.textContent),
    );
  await page
    .waitForFunction(
      (label) =>
        [...document.querySelectorAll(".suggest-widget.visible .monaco-list-row .label-name")].some(
          (e) => e.textContent === label,
        ),
      label,
      { timeout: LONG },
    )
    .catch(async () => {
      throw new Error(`no suggestion "${label}" in ${JSON.stringify(await labels())}`);
    });
  for (let i = 0; i < 40; i++) {
    const focused = await page.evaluate(
      () => document.querySelector(".suggest-widget.visible .monaco-list-row.focused .label-name")?.textContent,
    );
    if (focused === label) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`the suggest widget lists "${label}" but it never got the focus`);
}

async function goToLine(page, line) {
  await page.keyboard.press("Control+G");
  await page.keyboard.type(String(line));
  await page.keyboard.press("Enter");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let failed = false;
  try {
    await step("workbench loads", page, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await page.goto(URL, { timeout: LONG });
          await page.waitForSelector(".monaco-workbench", { timeout: LONG });
          break;
        } catch (error) {
          if (attempt > 0) throw error;
          log("retrying the cold start");
        }
      }
    });

    await step("open template.yaml", page, async () => {
      await page.waitForTimeout(2000);
      await openFile(page, "template.yaml");
    });

    await step("squiggle for the missing parameter", page, async () => {
      await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: LONG });
    });

    await step("Problems panel lists missing-required-parameter", page, async () => {
      await page.keyboard.press("Control+Shift+M");
      await page.waitForSelector(".markers-panel", { timeout: LONG });
      await page.waitForFunction(
        () => document.querySelector(".markers-panel")?.textContent?.includes("missing-required-parameter"),
        null,
        { timeout: LONG },
      );
    });
    await page.screenshot({ path: path.join(SHOTS, "diagnostic.png") });

    await step("completion inside RequestParameters offers the subtype's keys", page, async () => {
      await page.click(".monaco-editor .view-lines");
      await goToLine(page, 32);
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      // Ask for suggestions on the empty line (Trigger Suggest, from the palette as
      // Ctrl+Space may be taken by the browser): the subtype's keys, from the server.
      await command(page, "Trigger Suggest");
      await page.waitForSelector(".suggest-widget.visible", { timeout: LONG });
      await page.waitForFunction(
        () => {
          const text = document.querySelector(".suggest-widget.visible")?.textContent ?? "";
          return text.includes("MessageBody") && text.includes("DelaySeconds") && text.includes("MessageGroupId");
        },
        null,
        { timeout: LONG },
      );
      await page.screenshot({ path: path.join(SHOTS, "completion.png") });
      await page.keyboard.press("Escape");
      // Undo the typing until the template is back as it was on disk.
      await page.click(".monaco-editor .view-lines");
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press("Control+Z");
        await page.waitForTimeout(150);
      }
      await page.waitForFunction(
        () => {
          const text = document.querySelector(".markers-panel")?.textContent ?? "";
          return text.includes("missing-required-parameter") && !text.includes("syntax-error");
        },
        null,
        { timeout: LONG },
      );
      await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: LONG });
    });

    await step("apigw-lsp: Restart Server and Show Output", page, async () => {
      await command(page, "apigw-lsp: Restart Server");
      await command(page, "apigw-lsp: Show Output");
      // The output channel says which binary it started: twice now.
      await page.waitForFunction(
        () => {
          // The panel's editor renders spaces as no-break spaces (\s matches both).
          const text = document.querySelector(".part.panel")?.textContent ?? "";
          return (text.match(/starting\s+\S*apigw-lsp/g) ?? []).length >= 2;
        },
        null,
        { timeout: LONG },
      );
      await page.screenshot({ path: path.join(SHOTS, "output.png") });
      await page.keyboard.press("Control+Shift+M");
      await page.waitForFunction(
        () => document.querySelector(".markers-panel")?.textContent?.includes("missing-required-parameter"),
        null,
        { timeout: LONG },
      );
      await page.click(".monaco-editor .view-lines");
    });

    await step("apigwLsp.severity turns the error into a warning (didChangeConfiguration)", page, async () => {
      // Edit the user settings.json (auto-closing and suggestions are off for jsonc in
      // this profile, so the typed text lands as typed) and save it.
      await command(page, "Preferences: Open User Settings (JSON)");
      await page.waitForFunction(
        () => document.querySelector(".part.editor .tab.active")?.textContent?.includes("settings.json"),
        null,
        { timeout: LONG },
      );
      await page.waitForTimeout(500);
      await page.keyboard.press("Control+Home");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.type('"apigwLsp.severity": {"missing-required-parameter": "warning"}, ');
      await command(page, "File: Save");
      await openFile(page, "template.yaml");
      await page.waitForFunction(
        () =>
          document.querySelector(".part.editor .monaco-editor .squiggly-warning") &&
          !document.querySelector(".part.editor .monaco-editor .squiggly-error"),
        null,
        { timeout: LONG },
      );
      await page.screenshot({ path: path.join(SHOTS, "severity.png") });
      await page.click(".part.editor .monaco-editor .view-lines");
    });

    await step("the quick fix adds the parameter and the diagnostic goes", page, async () => {
      await goToLine(page, 31);
      await page.keyboard.press("Home");
      await command(page, "Quick Fix...");
      await page.waitForSelector(".action-widget", { timeout: LONG });
      await page.waitForFunction(
        () => document.querySelector(".action-widget")?.textContent?.includes("Add missing parameter MessageBody"),
        null,
        { timeout: LONG },
      );
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        () => /MessageBody:/.test(document.querySelector(".part.editor .monaco-editor .view-lines")?.textContent ?? ""),
        null,
        { timeout: LONG },
      );
      await page.waitForFunction(
        () => !document.querySelector(".part.editor .monaco-editor :is(.squiggly-error, .squiggly-warning)"),
        null,
        { timeout: LONG },
      );
      await page.waitForFunction(
        () => !document.querySelector(".markers-panel")?.textContent?.includes("missing-required-parameter"),
        null,
        { timeout: LONG },
      );
    });
    await page.screenshot({ path: path.join(SHOTS, "fixed.png") });

    await step("a scaffold at the Resources level inserts an SQS integration, route and role", page, async () => {
      // Room for the completion list and its details: the panel is not needed from here on.
      await command(page, "View: Hide Panel");
      await page.waitForSelector(".part.panel", { state: "hidden", timeout: LONG });
      await page.click(".part.editor .monaco-editor .view-lines");
      const before = await saveTemplate(page);
      if (!before.endsWith("\n")) throw new Error("template.yaml does not end with a line break");
      const problemsBefore = await problems(page);
      log(`Problems before the scaffold: ${problemsBefore}`);
      // A new logical ID on the empty last line, at the Resources level.
      await page.keyboard.press("Control+End");
      await page.keyboard.type("  ");
      await command(page, "Trigger Suggest");
      await page.waitForSelector(".suggest-widget.visible", { timeout: LONG });
      await page.keyboard.type("SendMessage");
      await focusSuggestion(page, "SQS-SendMessage integration");
      // Its details: what it inserts, written out (Toggle Suggestion Details: Ctrl+Space,
      // which reaches the editor while the widget has the focus).
      await page.keyboard.press("Control+Space");
      await page.waitForFunction(
        () =>
          document
            .querySelector(".suggest-details-container .suggest-details")
            ?.textContent?.includes("SendMessageIntegration:"),
        null,
        { timeout: LONG },
      );
      await page.waitForTimeout(300);
      // The list and its details, with the editor's gutter and a few lines above.
      const none = { x: 0, y: 0, width: 0, height: 0 };
      const box = async (selector) => (await page.locator(selector).first().boundingBox()) ?? none;
      const editor = await box(".part.editor .monaco-editor.focused");
      const cursor = await box(".part.editor .monaco-editor.focused .cursor");
      const popups = [await box(".suggest-widget.visible"), await box(".suggest-details-container")];
      const top = Math.max(editor.y, cursor.y - 6 * cursor.height);
      const right = Math.max(...popups.map((b) => b.x + b.width)) + 16;
      const bottom = Math.min(editor.y + editor.height, Math.max(...popups.map((b) => b.y + b.height)) + 16);
      const clip = { x: editor.x, y: top, width: right - editor.x, height: bottom - top };
      await page.screenshot({ path: path.join(SHOTS, "scaffold.png"), clip });
      await page.keyboard.press("Enter");
      // Out of snippet mode, with the placeholders at their defaults.
      await page.keyboard.press("Escape");
      const after = await saveTemplate(page);
      if (!after.startsWith(before)) throw new Error("the text before the new line changed");
      const added = after.slice(before.length);
      const expected = [
        "  SendMessageRole:\n    Type: AWS::IAM::Role\n",
        "  SendMessageIntegration:\n    Type: AWS::ApiGatewayV2::Integration\n",
        "      ApiId: !Ref Api\n",
        "      IntegrationSubtype: SQS-SendMessage\n",
        "      CredentialsArn: !GetAtt SendMessageRole.Arn\n",
        "        QueueUrl: !Ref Queue\n",
        "  SendMessageRoute:\n    Type: AWS::ApiGatewayV2::Route\n",
        "      Target: !Sub integrations/${SendMessageIntegration}",
      ];
      const missing = expected.filter((line) => !added.includes(line));
      if (missing.length) {
        throw new Error(`the inserted text lacks ${JSON.stringify(missing)}: ${JSON.stringify(added)}`);
      }
      // The template has an API: no second one.
      if (added.includes("AWS::ApiGatewayV2::Api")) throw new Error("the scaffold added an API");
      await problemsStayAt(page, problemsBefore);
    });

    await step("CredentialsArn completes to the template's role, !GetAtt Role.Arn", page, async () => {
      // As the scaffold step saved it.
      const before = fs.readFileSync(TEMPLATE, "utf8");
      const lines = before.split("\n");
      const value = "!GetAtt SendMessageRole.Arn";
      const index = lines.indexOf(`      CredentialsArn: ${value}`);
      if (index < 0) throw new Error("no CredentialsArn of the scaffold to complete");
      const problemsBefore = await problems(page);
      // Take the scaffold's value away and ask for what may go there.
      await goToLine(page, index + 1);
      await page.keyboard.press("End");
      for (let i = 0; i < value.length; i++) await page.keyboard.press("Shift+ArrowLeft");
      await page.keyboard.press("Delete");
      await command(page, "Trigger Suggest");
      await page.waitForSelector(".suggest-widget.visible", { timeout: LONG });
      await focusSuggestion(page, "!GetAtt Role.Arn");
      await page.screenshot({ path: path.join(SHOTS, "reference.png") });
      await page.keyboard.press("Enter");
      await page.keyboard.press("Escape");
      const after = (await saveTemplate(page)).split("\n");
      if (after[index] !== "      CredentialsArn: !GetAtt Role.Arn") {
        throw new Error(`line ${index + 1} reads ${JSON.stringify(after[index])}`);
      }
      const others = after.filter((_, i) => i !== index).join("\n");
      if (others !== lines.filter((_, i) => i !== index).join("\n")) throw new Error("other lines changed");
      await problemsStayAt(page, problemsBefore);
    });

    await step("api.tf opens as Terraform and the server reports missing-required-parameter", page, async () => {
      await openFile(page, "api.tf");
      // The extension's own `terraform` language for .tf (HashiCorp's extension is not
      // installed here): the status bar's language mode names it.
      await page
        .waitForFunction(
          () => document.getElementById("status.editor.mode")?.textContent?.trim() === "Terraform",
          null,
          { timeout: LONG },
        )
        .catch(async () => {
          const mode = await page.evaluate(() => document.getElementById("status.editor.mode")?.textContent);
          throw new Error(`api.tf's language mode is "${mode}", not Terraform`);
        });
      // A warning: the severity step set missing-required-parameter to warning.
      await page.waitForSelector(".part.editor .monaco-editor :is(.squiggly-error, .squiggly-warning)", {
        timeout: LONG,
      });
      // The YAML template has no missing-required-parameter left (the quick fix step):
      // this one is api.tf's.
      await page.keyboard.press("Control+Shift+M");
      await page.waitForSelector(".markers-panel", { timeout: LONG });
      await page.waitForFunction(
        () => {
          const text = document.querySelector(".markers-panel")?.textContent ?? "";
          return text.includes("api.tf") && text.includes("missing-required-parameter");
        },
        null,
        { timeout: LONG },
      );
      await page.screenshot({ path: path.join(SHOTS, "terraform-diagnostic.png") });
    });

    await step("completion in api.tf's request_parameters offers the subtype's keys", page, async () => {
      const lines = fs.readFileSync(TERRAFORM, "utf8").split("\n");
      const index = lines.findIndex((line) => line.includes("QueueUrl = "));
      if (index < 0) throw new Error("no QueueUrl line in api.tf");
      await page.click(".part.editor .monaco-editor .view-lines");
      await goToLine(page, index + 1);
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      // A half-typed key: none of the keys below is a word of api.tf, so only the server
      // can offer them.
      await page.keyboard.type("Mes");
      await command(page, "Trigger Suggest");
      await page.waitForSelector(".suggest-widget.visible", { timeout: LONG });
      await page.waitForFunction(
        () => {
          const text = document.querySelector(".suggest-widget.visible")?.textContent ?? "";
          return text.includes("MessageBody") && text.includes("MessageGroupId") && text.includes("MessageDeduplicationId");
        },
        null,
        { timeout: LONG },
      );
      await focusSuggestion(page, "MessageBody");
      await page.screenshot({ path: path.join(SHOTS, "terraform-completion.png") });
      await page.keyboard.press("Enter");
      await page.keyboard.press("Escape");
      // The item writes `MessageBody = `; the value is typed, the file saved.
      await page.keyboard.type('"$request.body"');
      const stamp = () => fs.statSync(TERRAFORM, { bigint: true }).mtimeNs;
      const before = stamp();
      await command(page, "File: Save");
      const deadline = Date.now() + LONG;
      while (stamp() === before) {
        if (Date.now() > deadline) throw new Error("File: Save did not write api.tf");
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(300);
      const saved = fs.readFileSync(TERRAFORM, "utf8").split("\n");
      if (saved[index + 1] !== '    MessageBody = "$request.body"') {
        throw new Error(`line ${index + 2} of api.tf reads ${JSON.stringify(saved[index + 1])}`);
      }
      // The diagnostic goes with the edit.
      await page.waitForFunction(
        () => !document.querySelector(".markers-panel")?.textContent?.includes("missing-required-parameter"),
        null,
        { timeout: LONG },
      );
      await page.waitForFunction(
        () => !document.querySelector(".part.editor .monaco-editor :is(.squiggly-error, .squiggly-warning)"),
        null,
        { timeout: LONG },
      );
    });

    await step("a server path that does not exist gives the fix-it notification", page, async () => {
      // Set it in the Settings editor, as a user would: the change restarts the client.
      await command(page, "Preferences: Open User Settings");
      await page.waitForSelector(".settings-editor .suggest-input-container", { timeout: LONG });
      await page.keyboard.type("apigwLsp.server.path");
      await page.locator(".settings-editor .settings-count-widget", { hasText: "1 Setting Found" }).waitFor({ timeout: LONG });
      const input = page
        .locator(".settings-editor .setting-item-contents", { hasText: "Server: Path" })
        .locator("input")
        .first();
      await input.waitFor({ state: "visible", timeout: LONG });
      await input.click();
      await page.keyboard.type("/nonexistent/apigw-lsp");
      const toast = page.locator(".notification-toast", { hasText: "cargo install --locked --path server" });
      await toast.waitFor({ timeout: LONG });
      await page.screenshot({ path: path.join(SHOTS, "not-found.png") });
      // Close the Settings editor; the notification's button opens it on the setting.
      await command(page, "View: Close Editor");
      await page.waitForSelector(".settings-editor", { state: "detached", timeout: LONG });
      await toast.locator(".monaco-button", { hasText: "Open Settings" }).click();
      const shown = page
        .locator(".settings-editor .setting-item-contents", { hasText: "Server: Path" })
        .locator("input")
        .first();
      await shown.waitFor({ state: "visible", timeout: LONG });
      const value = await shown.inputValue();
      if (value !== "/nonexistent/apigw-lsp") throw new Error(`the setting shows "${value}"`);
    });
  } catch {
    failed = true;
  } finally {
    await browser.close();
  }
  if (failed) process.exit(1);
  log("all VS Code steps passed");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

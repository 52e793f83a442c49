// Drives a real VS Code (code-server in headless chromium) with the extension
// installed: the diagnostic and its Problems entry, completion inside
// RequestParameters, the Restart Server and Show Output commands, the severity setting,
// the quick fix, and the notification for a server that is not found.
// Exits non-zero at the first failing step, naming it.
// Env: PLAYWRIGHT_DIR, URL, SCREENSHOTS, CHROMIUM (default /usr/bin/chromium).
const path = require("path");
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, "node_modules", "playwright-core"));

const URL = process.env.URL;
const SHOTS = process.env.SCREENSHOTS;
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

// Drives a real VS Code (code-server in headless chromium) with the extension
// installed: the diagnostic and its Problems entry, completion inside
// RequestParameters, and the quick fix. Exits non-zero at the first failing step.
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

/** Runs a command from the palette (keybindings like Ctrl+Space can be eaten by the browser). */
async function command(page, name) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { timeout: LONG });
  await page.keyboard.type(name);
  await page.waitForTimeout(500);
  await page.keyboard.press("Enter");
}

async function goToLine(page, line) {
  await page.keyboard.press("Control+G");
  await page.keyboard.type(String(line));
  await page.keyboard.press("Enter");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
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
      await page.keyboard.press("Control+P");
      await page.waitForSelector(".quick-input-widget input", { timeout: LONG });
      await page.keyboard.type("template.yaml");
      await page.waitForTimeout(1000);
      await page.keyboard.press("Enter");
      await page.waitForSelector(".monaco-editor .view-lines", { timeout: LONG });
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
      // Typing opens the suggestions (quick suggestions are on): our items for the
      // subtype's keys, filtered by "De".
      await page.keyboard.type("De", { delay: 100 });
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(SHOTS, "completion-typed.png") });
      await page.waitForSelector(".suggest-widget.visible", { timeout: LONG });
      await page.waitForFunction(
        () => {
          const text = document.querySelector(".suggest-widget.visible")?.textContent ?? "";
          return text.includes("DelaySeconds") && text.includes("MessageDeduplicationId");
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
        () => !document.querySelector(".monaco-editor .squiggly-error"),
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

// tests/release.sh: a platform VS Code package installed into code-server starts its
// server. Opens template.yaml (the workspace's; SendOrder lacks MessageBody) and waits for
// the squiggle and the Problems entry missing-required-parameter, which only the server
// produces. The caller then reads the extension's log for the binary it started.
// Env: PLAYWRIGHT_DIR, URL, SCREENSHOTS (a folder), LABEL (for the screenshot's name).
const path = require("path");
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, "node_modules", "playwright-core"));

const LONG = 60_000;

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (name) => page.screenshot({ path: path.join(process.env.SCREENSHOTS, `${process.env.LABEL}-${name}.png`) });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await page.goto(process.env.URL, { timeout: LONG });
        await page.waitForSelector(".monaco-workbench", { timeout: LONG });
        break;
      } catch (error) {
        if (attempt > 0) throw error;
        console.log("   retrying the cold start");
      }
    }
    await page.waitForTimeout(2000);
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { timeout: LONG });
    await page.keyboard.type("template.yaml");
    const row = page
      .locator(".quick-input-list .monaco-list-row")
      .filter({ has: page.locator(".label-name", { hasText: "template.yaml" }) })
      .first();
    await row.waitFor({ timeout: LONG });
    await row.click();
    await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: LONG });
    await page.keyboard.press("Control+Shift+M");
    await page.waitForFunction(
      () => document.querySelector(".markers-panel")?.textContent?.includes("missing-required-parameter"),
      null,
      { timeout: LONG },
    );
    await shot("diagnostic");
    console.log("   PASS the server's diagnostic missing-required-parameter is shown");
  } catch (error) {
    await shot("failure").catch(() => {});
    console.log(`   FAIL ${error.message.split("\n")[0]}`);
    await browser.close();
    process.exit(1);
  }
  await browser.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

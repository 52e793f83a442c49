// Copies the release server into the extension (server/apigw-lsp) when it has been
// built, so the .vsix works without anything on PATH.
const fs = require("fs");
const path = require("path");

const exe = process.platform === "win32" ? "apigw-lsp.exe" : "apigw-lsp";
const built = path.join(__dirname, "..", "..", "..", "target", "release", exe);
const dest = path.join(__dirname, "..", "server", exe);
if (fs.existsSync(built)) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(built, dest);
  fs.chmodSync(dest, 0o755);
  console.log(`bundled ${built}`);
} else {
  console.log(`no ${built}: the extension will look for apigw-lsp on PATH`);
}

// Trunk post-build hook (Trunk.toml) for `trunk serve`: moves Trunk's live-reload script out of
// the page into a file of the page's own, so that the page's Content-Security-Policy, which
// refuses inline scripts (`script-src 'self'`), runs it without being relaxed.
//
// `trunk serve` appends its reload client to <body> as an inline <script>; under index.html's
// CSP the browser refuses it ("Executing inline script violates ... script-src") and the page
// never reloads. Trunk's own remedy (`create_nonce`, a nonce per request in a CSP header) cannot
// reach a policy that index.html states in a <meta>, and relaxing that policy would ship. So in
// debug builds (the ones `trunk serve` makes) this hook writes the script to
// `trunk-autoreload.js` beside index.html and puts `<script src>` in its place; release builds
// (`trunk build --release`) never have the script and are left untouched, byte for byte.
//
// Trunk fills two placeholders in the script only when it serves HTML, not JavaScript files:
// the server's address becomes the page's own host (`window.location.host`, Trunk's own
// fallback) and the WebSocket's base path the directory this file is served from.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

if (process.env.TRUNK_PROFILE === "release") process.exit(0);
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("serve-reload: TRUNK_STAGING_DIR must be set (run by Trunk as a post_build hook)");
  process.exit(1);
}
const htmlPath = join(staging, "index.html");
const html = await readFile(htmlPath, "utf8");
const inline = /<script(?: nonce="[^"]*")?>((?:(?!<\/script>)[\s\S])*\.well-known\/trunk\/ws(?:(?!<\/script>)[\s\S])*)<\/script>/;
const found = html.match(inline);
if (!found) process.exit(0); // `trunk build` without serving: no reload client.
const file = "trunk-autoreload.js";
const script = found[1]
  .replace(/(['`])\{\{__TRUNK_ADDRESS__\}\}\1/g, "window.location.host")
  .replace(/(['`])\{\{__TRUNK_WS_BASE__\}\}\1/g, "new URL('./', document.currentScript.src).pathname");
if (script.includes("{{__TRUNK_")) {
  console.error("serve-reload: Trunk's reload script has a placeholder this hook does not know");
  process.exit(1);
}
await writeFile(join(staging, file), script);
await writeFile(htmlPath, html.replace(found[0], `<script src="./${file}"></script>`));
console.log(`serve-reload: Trunk's reload client moved to ${file}`);

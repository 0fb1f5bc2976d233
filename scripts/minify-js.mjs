// Trunk post-build hook (Trunk.toml): minifies the release build's JavaScript with terser, in
// the staging directory, and updates the Subresource Integrity hashes index.html holds for
// those files. Trunk's own minifier fails on wasm-bindgen's glue ("Failed to minify JS") and
// ships it as it is, comments and all; the size budget counts it.
//
// Debug builds (`trunk serve`) are left alone. SVCSCOPE_TERSER is the terser package's
// directory (scripts/tools.sh installs it); without it a release build fails here, loudly.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);
const staging = process.env.TRUNK_STAGING_DIR;
const terserDir = process.env.SVCSCOPE_TERSER;
if (!staging || !terserDir) {
  console.error("minify-js: TRUNK_STAGING_DIR and SVCSCOPE_TERSER must be set (scripts/tools.sh need_terser)");
  process.exit(1);
}
const { minify } = createRequire(join(terserDir, "package.json"))(terserDir);
const integrity = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");

const files = (await readdir(staging, { recursive: true })).filter((name) => name.endsWith(".js"));
const htmlPath = join(staging, "index.html");
let html = await readFile(htmlPath, "utf8");
for (const name of files) {
  const path = join(staging, name);
  const source = await readFile(path, "utf8");
  // The worker's files are classic scripts (wasm-bindgen's no-modules target, loaded with
  // importScripts): their top-level `wasm_bindgen` is how the loader reaches the glue, so it
  // must survive; everything else is an ES module.
  const classic = name.startsWith("svcscope-worker");
  const result = await minify(source, { module: !classic, compress: true, mangle: true });
  if (typeof result.code !== "string") throw new Error(`minify-js: no output for ${name}`);
  await writeFile(path, result.code);
  html = html.split(integrity(source)).join(integrity(result.code));
}
await writeFile(htmlPath, html);
console.log(`minify-js: ${files.length} files minified`);

// Size check: everything the first view loads (the HTML page and every stylesheet, script and
// wasm module it references), brotli-compressed at quality 11, file by file. Exits non-zero
// above the hard limit. Usage: node scripts/size.mjs [dist] [--limit-kb 100] [--target-kb 66]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const dist = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? "dist";
const limitKb = option("--limit-kb", 100);
const targetKb = option("--target-kb", 66);

const html = readFileSync(join(dist, "index.html"), "utf8");
const base = /<meta name="app-base" content="([^"]*)"/.exec(html)?.[1] ?? "/";
// What the page loads: stylesheets, the favicon, the preloaded JS modules and wasm (the loader
// imports the same).
const refs = [...html.matchAll(/<link[^>]+href="([^"]+)"[^>]*>/g)]
  .filter((m) => /rel="(stylesheet|icon|modulepreload|preload)"/.test(m[0]))
  .map((m) => m[1]);
const files = ["index.html", ...new Set(refs.map((href) => href.slice(base.length)))];

const kb = (n) => (n / 1024).toFixed(1);
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
/** Prints one line per file and a total; returns the compressed total. */
function table(title, list) {
  let raw = 0;
  let compressed = 0;
  for (const file of list) {
    const bytes = readFileSync(join(dist, file));
    const br = brotli(bytes);
    raw += bytes.length;
    compressed += br;
    console.log(`${file.padEnd(44)} ${kb(bytes.length).padStart(9)} ${kb(br).padStart(10)}`);
  }
  console.log(`${title.padEnd(44)} ${kb(raw).padStart(9)} ${kb(compressed).padStart(10)}`);
  return compressed;
}
console.log(`${"file".padEnd(44)} ${"raw KB".padStart(9)} ${"brotli KB".padStart(10)}`);
const compressed = table("first view, total", files);
// The app module (callback, chat), loaded on demand (named by the page's app-* metas): reported,
// not budgeted.
const app = [...html.matchAll(/<meta name="app-(?:module|wasm|css)" content="([^"]+)">/g)].map((m) => m[1].slice(base.length));
if (app.length !== 3) {
  console.error("size: the page does not name the app module's three files");
  process.exit(1);
}
console.log("");
const appKb = table("app module, loaded on demand", app);
console.log(`${"first view when already connected (both)".padEnd(44)} ${"".padStart(9)} ${kb(compressed + appKb).padStart(10)}`);
console.log("");
console.log(`hard limit ${limitKb} KB, target ${targetKb} KB: ${compressed <= targetKb * 1024 ? "target met" : compressed <= limitKb * 1024 ? "under the limit, target missed" : "OVER THE LIMIT"}`);
if (compressed > limitKb * 1024) process.exit(1);

// trunk post_build hook (started by post_build.sh), run on the staging directory:
//  1. write the base path (trunk's public URL) into <meta name="app-base">;
//  2. put the SHA-256 of trunk's inline loader into the Content-Security-Policy;
//  3. give the chat module (built as a trunk "worker", so not loaded by the page) hashed file
//     names, and name them in <meta name="chat-module"> and <meta name="chat-wasm">;
//  4. copy the page to callback/index.html and 404.html.
// Fails the build when the page does not have the shape this relies on.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? "/";
const page = join(staging, "index.html");
let html = readFileSync(page, "utf8");

function fail(message) {
  console.error(`post_build: ${message}`);
  process.exit(1);
}

// 1. The base path: only the path of the public URL, with leading and trailing slashes.
let base = publicUrl.replace(/^[a-z]+:\/\/[^/]+/i, "");
base = `/${base.replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(base)) fail(`unsupported public URL ${publicUrl}`);
// (Release builds are minified, so attribute quotes may be gone: match either way.)
const baseMeta = /<meta name="?app-base"? content="?\/"?\s*\/?>/;
if (!baseMeta.test(html)) fail("index.html lacks the app-base meta tag");
const baseTag = `<meta name="app-base" content="${base}">`;
html = html.replace(baseMeta, baseTag);

// 2. The loader's hash. There must be exactly one inline script: trunk's loader.
const scripts = [...html.matchAll(/<script type="?module"?>([\s\S]*?)<\/script>/g)];
if (scripts.length !== 1) fail(`expected one inline loader script, found ${scripts.length}`);
const hash = createHash("sha256").update(scripts[0][1], "utf8").digest("base64");
if (!html.includes("'sha256-LOADER_HASH'")) fail("index.html lacks the CSP placeholder");
html = html.replace("'sha256-LOADER_HASH'", `'sha256-${hash}'`);

// 3. The chat module, under names that change with its content (cache busting).
const chatCss = join(staging, "chat.css");
if (!existsSync(chatCss)) fail("style/chat.css was not copied");
const cssHash = createHash("sha256").update(readFileSync(chatCss)).digest("hex").slice(0, 16);
renameSync(chatCss, join(staging, `chat-${cssHash}.css`));
const chatJs = join(staging, "chat.js");
const chatWasm = join(staging, "chat_bg.wasm");
if (!existsSync(chatJs) || !existsSync(chatWasm)) fail("the chat module was not built");
const chatHash = createHash("sha256")
  .update(readFileSync(chatJs))
  .update(readFileSync(chatWasm))
  .digest("hex")
  .slice(0, 16);
renameSync(chatJs, join(staging, `chat-${chatHash}.js`));
renameSync(chatWasm, join(staging, `chat-${chatHash}_bg.wasm`));
html = html.replace(
  baseTag,
  `${baseTag}\n    <meta name="chat-module" content="${base}chat-${chatHash}.js">` +
    `\n    <meta name="chat-wasm" content="${base}chat-${chatHash}_bg.wasm">` +
    `\n    <meta name="chat-css" content="${base}chat-${cssHash}.css">`,
);

// Comments in the page are for its source, not for every visitor to download.
html = html.replace(/\n?\s*<!--[\s\S]*?-->/g, "");

writeFileSync(page, html);
// 4. Real files for the callback route and for every other deep link.
mkdirSync(join(staging, "callback"), { recursive: true });
writeFileSync(join(staging, "callback", "index.html"), html);
writeFileSync(join(staging, "404.html"), html);
console.log(`post_build: base ${base}, loader sha256-${hash}`);

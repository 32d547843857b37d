// trunk post_build hook (started by post_build.sh), run on the staging directory:
//  1. write the base path (trunk's public URL) into <meta name="app-base">;
//  2. start compiling the first view's wasm from a classic script at the top of the page, and
//     inline the wasm-bindgen glue (in a loader of our own) and the stylesheet;
//  3. put the SHA-256 of those two scripts and of the style into the Content-Security-Policy;
//  4. give the app module (built as a trunk "worker", so not loaded by the page: the first view
//     loads it on demand) hashed file names, and name them, with the chat's styles, in
//     <meta name="app-module">, <meta name="app-wasm"> and <meta name="app-css">;
//  5. copy the page to callback/index.html and 404.html.
// Fails the build when the page does not have the shape this relies on.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

// 2. The first view starts as soon as the page is parsed, with nothing else to fetch first:
//  - a classic script near the top of the page starts compiling the wasm as it downloads (trunk's
//    preload is kept, so the download starts as early as the page is scanned);
//  - the wasm-bindgen glue (with its snippets) and the stylesheet are inlined, so that neither is
//    a request the page must wait for;
//  - a loader of our own (in place of trunk's) instantiates the compiled module at once.
// Measured in the bench: Connect about 30 ms sooner on a 2-core machine (README, "Performance").
// If the host serves the wasm with the wrong MIME type, streaming compilation fails and the loader
// gets the plain response, which wasm-bindgen instantiates the slow way.
const preload = /<link rel="?preload"? href="?([^" >]+_bg\.wasm)"? crossorigin="?anonymous"? integrity="?([^" >]+)"? as="?fetch"? type="?application\/wasm"?\s*\/?>/;
const found = preload.exec(html);
if (!found) fail("the first view's wasm preload is not where trunk puts it");
const [, wasmUrl, wasmIntegrity] = found;
// The same request as the preload (same credentials, same integrity), so that it is reused.
const fetchCall = `fetch(${JSON.stringify(wasmUrl)}, { integrity: ${JSON.stringify(wasmIntegrity)} })`;
// On the callback page, the query (with its code) leaves the address bar and this history entry
// here, before anything else; the first view takes it from switchboardCallbackQuery.
const callbackPaths = JSON.stringify([`${base}callback`, `${base}callback/`, `${base}callback/index.html`]);
const takeQuery =
  `if (location.search && ${callbackPaths}.includes(location.pathname)) {` +
  ` self.switchboardCallbackQuery = location.search; history.replaceState(null, "", ${JSON.stringify(`${base}callback/`)}); }`;
const early = `<script>${takeQuery}\nself.switchboardWasm = WebAssembly.compileStreaming(${fetchCall}).catch(() => ${fetchCall});</script>`;
// After the policy, which covers it, and the referrer meta, which its request follows (the
// callback page's address holds the code: it must never be a referrer).
const referrerMeta = /<meta name="?referrer"? content="?no-referrer"?\s*\/?>/;
if (!referrerMeta.test(html)) fail("index.html lacks the referrer meta");
// The preload goes first, so that the compile's request is the preload's, not a second one.
// (Without its integrity attribute, which Chromium ignores on a fetch preload, with a warning:
// the compile's own request checks it.)
html = html.replace(preload, "");
const preloadLink = found[0].replace(/ integrity="?[^" >]+"?/, "");
html = html.replace(referrerMeta, (meta) => `${meta}\n    ${preloadLink}\n    ${early}`);

const staged = (url) => join(staging, url.slice(base.length));
// trunk's loader: one inline module importing the glue, which imports its snippets.
const loaders = [...html.matchAll(/<script type="?module"?>([\s\S]*?)<\/script>/g)];
if (loaders.length !== 1) fail(`expected one inline loader script, found ${loaders.length}`);
const glueImport = /import init, \* as bindings from '([^']+\.js)';/.exec(loaders[0][1]);
if (!glueImport || !loaders[0][1].includes(`module_or_path: '${wasmUrl}'`)) {
  fail("trunk's loader does not start the wasm the way this expects");
}
const glueFile = staged(glueImport[1]);
let glue = readFileSync(glueFile, "utf8");
const snippetDirs = new Set();
glue = glue.replace(/^import \{[^}]*\} from '\.\/(snippets\/[^']+)';$/gm, (_, snippet) => {
  snippetDirs.add(snippet.split("/").slice(0, 2).join("/"));
  return readFileSync(join(staging, snippet), "utf8").replace(/^export /gm, "");
});
const glueExport = "export { initSync, __wbg_init as default };";
if (!glue.includes(glueExport) || /^(import|export) /m.test(glue.replace(glueExport, ""))) {
  fail("the wasm-bindgen glue does not have the shape this inlines");
}
glue = glue.replace(glueExport, "");
if (glue.includes("</script")) fail("the wasm-bindgen glue cannot be inlined as it is");
// If the first view cannot start (its wasm did not arrive), the page's "Loading…" line says so.
const failed = "Switchboard could not be loaded. Check your connection, then reload the page.";
const loader =
  `<script type="module">${glue}\n` +
  "try {\n" +
  "  const compiled = await self.switchboardWasm;\n" +
  "  if (compiled instanceof WebAssembly.Module) initSync({ module: compiled });\n" +
  "  else await __wbg_init({ module_or_path: compiled });\n" +
  "} catch (error) {\n" +
  '  const line = document.querySelector("#boot p");\n' +
  `  if (line) Object.assign(line, { className: "error-banner", textContent: ${JSON.stringify(failed)} }).setAttribute("role", "alert");\n` +
  "  console.error(error);\n" +
  "}\n" +
  "</script>";
html = html.replace(loaders[0][0], () => loader);
html = html.replace(/<link rel="?modulepreload"?[^>]*>/g, "");
rmSync(glueFile);
for (const dir of snippetDirs) rmSync(join(staging, dir), { recursive: true });
if (existsSync(join(staging, "snippets")) && readdirSync(join(staging, "snippets")).length === 0) {
  rmSync(join(staging, "snippets"), { recursive: true });
}

const stylesheet = /<link rel="?stylesheet"? href="?([^" >]+\.css)"?[^>]*>/;
const sheet = stylesheet.exec(html);
if (!sheet) fail("index.html lacks the stylesheet");
const css = readFileSync(staged(sheet[1]), "utf8");
if (css.includes("</")) fail("the stylesheet cannot be inlined as it is");
html = html.replace(sheet[0], () => `<style>${css}</style>`);
rmSync(staged(sheet[1]));

// 3. The policy allows exactly these inline scripts (the early compile and the loader) and this
// inline style, by their hashes.
const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const scripts = [...html.matchAll(/<script(?: type="?module"?)?>([\s\S]*?)<\/script>/g)];
if (scripts.length !== 2) fail(`expected two inline scripts (early compile, loader), found ${scripts.length}`);
const hashes = scripts.map((m) => sha256(m[1]));
if (!html.includes("'sha256-LOADER_HASH'")) fail("index.html lacks the CSP placeholder");
html = html.replace("'sha256-LOADER_HASH'", hashes.join(" "));
if (!html.includes("style-src 'self';")) fail("the policy's style-src is not where this expects");
html = html.replace("style-src 'self';", `style-src 'self' ${sha256(css)};`);

// 4. The app module, under names that change with its content (cache busting).
const chatCss = join(staging, "chat.css");
if (!existsSync(chatCss)) fail("style/chat.css was not copied");
const cssHash = createHash("sha256").update(readFileSync(chatCss)).digest("hex").slice(0, 16);
renameSync(chatCss, join(staging, `chat-${cssHash}.css`));
const appJs = join(staging, "app.js");
const appWasm = join(staging, "app_bg.wasm");
if (!existsSync(appJs) || !existsSync(appWasm)) fail("the app module was not built");
const appHash = createHash("sha256")
  .update(readFileSync(appJs))
  .update(readFileSync(appWasm))
  .digest("hex")
  .slice(0, 16);
renameSync(appJs, join(staging, `app-${appHash}.js`));
renameSync(appWasm, join(staging, `app-${appHash}_bg.wasm`));
html = html.replace(
  baseTag,
  `${baseTag}\n    <meta name="app-module" content="${base}app-${appHash}.js">` +
    `\n    <meta name="app-wasm" content="${base}app-${appHash}_bg.wasm">` +
    `\n    <meta name="app-css" content="${base}chat-${cssHash}.css">`,
);

// The name in the top bar links to the base path.
const homeLink = /<a id="?home-link"? href="?\/"?>/;
if (!homeLink.test(html)) fail("index.html lacks the home link");
html = html.replace(homeLink, `<a id="home-link" href="${base}">`);

// Comments in the page are for its source, not for every visitor to download.
html = html.replace(/\n?\s*<!--[\s\S]*?-->/g, "");

writeFileSync(page, html);
// 5. Real files for the callback route and for every other deep link.
mkdirSync(join(staging, "callback"), { recursive: true });
writeFileSync(join(staging, "callback", "index.html"), html);
writeFileSync(join(staging, "404.html"), html);
console.log(`post_build: base ${base}, inline scripts ${hashes.join(" ")}, style ${sha256(css)}`);

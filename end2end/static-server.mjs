// Serves a built dist/ the way GitHub Pages does: under a base path (a project site) or at the
// root, real files only, a directory by its index.html (redirecting `/dir` to `/dir/`), and any
// other path answered by 404.html with status 404. No fallback to index.html.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
};

/**
 * Starts the server. `base` is "/" or "/<repo>/"; `dir` is the built site.
 * Resolves to `{ port, origin, url, close() }` where `url` is the site's address.
 */
export async function startStaticServer({ dir, base = "/", port = 0, host = "127.0.0.1", extraFiles = {} }) {
  const root = resolve(dir);
  const notFound = join(root, "404.html");
  // Files are read once and served from memory, so the server adds as little time as it can.
  const files = new Map();
  const send = (res, status, file) => {
    if (!files.has(file)) files.set(file, readFileSync(file));
    const body = files.get(file);
    res.writeHead(status, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-cache",
    });
    res.end(body);
  };
  const server = createServer((req, res) => {
    let url;
    let path;
    try {
      url = new URL(req.url, "http://localhost");
      path = decodeURIComponent(url.pathname);
    } catch {
      // A path no browser would send as it is (`//`, a broken %-escape): refused, not a crash.
      res.writeHead(400, { "Content-Type": "text/plain" });
      return res.end("Bad Request");
    }
    if (extraFiles[path]) {
      const { type, body } = extraFiles[path];
      res.writeHead(200, { "Content-Type": type });
      return res.end(body);
    }
    const missing = () => (existsSync(notFound) ? send(res, 404, notFound) : (res.writeHead(404), res.end("Not Found")));
    if (!path.startsWith(base)) {
      // Pages answers `/repo` (no slash) with a redirect to `/repo/`.
      if (path === base.replace(/\/$/, "")) {
        res.writeHead(301, { Location: base + url.search });
        return res.end();
      }
      return missing();
    }
    const relative = normalize(path.slice(base.length));
    if (relative.startsWith("..")) return missing();
    let file = join(root, relative);
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith("/")) {
        res.writeHead(301, { Location: path + "/" + url.search });
        return res.end();
      }
      file = join(file, "index.html");
    }
    if (!existsSync(file) || !statSync(file).isFile()) return missing();
    return send(res, 200, file);
  });
  await new Promise((r) => server.listen(port, host, r));
  const actual = server.address().port;
  return {
    port: actual,
    origin: `http://localhost:${actual}`,
    url: `http://localhost:${actual}${base}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

// By hand: node end2end/static-server.mjs <dist> [base] [port]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = "../dist", base = "/", port = "3000"] = process.argv.slice(2);
  const s = await startStaticServer({ dir, base, port: Number(port) });
  console.log(`Serving ${dir} at ${s.url} (GitHub Pages style: no SPA fallback)`);
}

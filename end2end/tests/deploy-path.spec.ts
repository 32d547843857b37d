// The release build served the way GitHub Pages serves it: real files only, directories by their
// index.html, unknown paths by 404.html with status 404. Run under /switchboard/ and at the root.
import { test, expect, openApp, connect } from "../fixtures";

test("the callback route is a real file, with no client-side fallback needed", async ({ page, site, request }) => {
  const direct = await request.get(`${site.url}callback/`, { maxRedirects: 0 });
  expect(direct.status()).toBe(200);
  expect(await direct.text()).toContain('<meta name="app-base" content="' + site.base + '">');
  const bare = await request.get(`${site.url}callback`, { maxRedirects: 0 });
  expect(bare.status()).toBe(301);
  expect(bare.headers()["location"]).toBe(`${site.base}callback/`);
  // Opened directly, it runs the app (here: no sign-in in progress).
  await page.goto(`${site.url}callback/?flow=AAAAAAAAAAAAAAAAAAAAAA&code=x`);
  await expect(page.getByRole("alert")).toContainText("no sign-in in progress");
});

test("an unknown deep link answers 404 and still shows the app, with a way home", async ({ page, site }) => {
  const response = await page.goto(`${site.url}some/deep/path`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to Switchboard" }).click();
  await expect(page.getByRole("button", { name: /Connect/ })).toBeVisible();
  expect(page.url()).toBe(site.url);
});

test("every asset, link and the callback URL follow the base path", async ({ page, site, standIn }) => {
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await openApp(page, site);
  await expect(page.getByRole("link", { name: "Switchboard" })).toHaveAttribute("href", site.base);
  await connect(page, site);
  // The page (and the callback page), the first view's wasm, the favicon, and the app module's
  // JS, wasm and styles: every one under the base path.
  const own = requests.filter((u) => u.startsWith(site.origin)).map((u) => new URL(u).pathname);
  for (const path of own) expect(path.startsWith(site.base), path).toBe(true);
  const kinds = new Set(own.map((p) => p.slice(site.base.length).replace(/-[0-9a-f]{8,}(?=[._])/, "").replace(/\?.*$/, "")));
  expect([...kinds].sort()).toEqual(["", "app.js", "app_bg.wasm", "callback/", "chat.css", "favicon.svg", "switchboard_bg.wasm"]);
  expect(standIn.authRequests.at(-1)!.callback_url.startsWith(`${site.url}callback/?flow=`)).toBe(true);
});

// The first view is the start page alone (src/start.rs, no framework); the rest of the app is a
// second module loaded on demand into #app, which gives the page back at the start address
// without a key. These tests hold that split to what a user sees: nothing reloads, nothing is
// loaded before it is needed, and a module that fails to load says so.
import { test, expect, openApp, signedIn, storedKey } from "../fixtures";
import type { Page } from "@playwright/test";

/** The app module's files, as named by the page. */
async function appFiles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ["app-module", "app-wasm", "app-css"].map(
      (n) => new URL(document.querySelector(`meta[name=${n}]`)!.getAttribute("content")!, location.href).href,
    ),
  );
}

/** Marks the document, so that a reload (a new document) is seen. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}
async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}

test("the start page loads only the first view; the app module loads once it is needed, once", async ({ page, site, standIn }) => {
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  await openApp(page, site);
  await expect(page.getByText(/models to choose from/)).toBeVisible();
  const files = await appFiles(page);
  expect(requested.filter((u) => files.includes(u))).toEqual([]);
  // From its own origin the first view loads the page, its wasm once (the preload and the early
  // compile share one request; the glue and the styles are in the page) and the favicon.
  const own = requested.filter((u) => u.startsWith(site.origin));
  expect(own.filter((u) => u.endsWith("_bg.wasm"))).toHaveLength(1);
  expect(own.filter((u) => u !== site.url && !/_bg\.wasm$|\.svg$/.test(u))).toEqual([]);
  expect(await page.locator("#app").evaluate((e) => e.childElementCount)).toBe(0);

  // Pasting a key brings the chat: the module's three files, each fetched once.
  await page.getByText("Already have an OpenRouter key? Paste it instead").click();
  await page.getByLabel("API key").fill(standIn.issueKey());
  await page.getByRole("button", { name: "Use this key" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(page.locator("#start")).toBeHidden();
  expect(requested.filter((u) => files.includes(u)).sort()).toEqual([...files].sort());
});

test("moving between the start page and the rest of the app never reloads the page", async ({ page, site }) => {
  await page.goto(`${site.url}no/such/page`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await mark(page);
  // The app's own link to the start address gives the page back to the start page.
  await page.getByRole("link", { name: "Go to Switchboard" }).click();
  await expect(page.getByRole("button", { name: /Connect/ })).toBeEnabled();
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
  expect(page.url()).toBe(site.url);
  // Back: the app again, in the same document.
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.locator("#start")).toBeHidden();
  // The name in the top bar: the start page again.
  await page.getByRole("link", { name: "Switchboard", exact: true }).click();
  await expect(page.getByRole("button", { name: /Connect/ })).toBeEnabled();
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
  expect(page.url()).toBe(site.url);
  expect(await sameDocument(page)).toBe(true);
});

test("after Disconnect the start page is back in the same page, and the chat is gone from it", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  await mark(page);
  await page.getByRole("button", { name: /Disconnect/ }).click();
  await expect(page.getByRole("button", { name: /Connect/ })).toBeEnabled();
  await expect(page.getByRole("status")).toContainText("Disconnected: this browser forgot the key.");
  await expect(page.getByRole("button", { name: /Disconnect/ })).toHaveCount(0);
  expect(await page.locator("#app").evaluate((e) => e.childElementCount)).toBe(0);
  expect(await storedKey(page)).toBeNull();
  expect(await sameDocument(page)).toBe(true);
  // Pasting a key again brings the chat back without reloading either.
  await page.getByText("Already have an OpenRouter key? Paste it instead").click();
  await page.getByLabel("API key").fill(standIn.issueKey());
  await page.getByRole("button", { name: "Use this key" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  // What the start page said last time is not left behind for the next.
  await page.getByRole("button", { name: /Disconnect/ }).click();
  await expect(page.getByRole("status")).toHaveCount(1);
  expect(await sameDocument(page)).toBe(true);
});

test("when the app module cannot be loaded, the page says so and Try again loads it", async ({ page, site, standIn }) => {
  await openApp(page, site);
  const [, wasm] = await appFiles(page);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), ["switchboard.key", standIn.issueKey()]);
  let refused = 0;
  await page.route(wasm, (route) => {
    refused++;
    return route.abort("connectionreset");
  });
  await page.reload();
  await expect(page.getByRole("alert")).toHaveText(/Switchboard could not be loaded\. Check your connection, then try again\./);
  expect(refused).toBe(1);
  await page.unroute(wasm);
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("served with the wrong MIME type, the first view's wasm still starts (the slow way)", async ({ page, site, watch }) => {
  // Streaming compilation needs application/wasm; some hosts send something else.
  await page.route("**/switchboard-*_bg.wasm", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
  });
  await openApp(page, site);
  expect(watch.console.some((m) => /instantiateStreaming/.test(m.text))).toBe(true);
  await expect(page.getByText(/models to choose from/)).toBeVisible();
});

test("while the app module loads slowly, the page says it is loading", async ({ page, site, standIn }) => {
  await openApp(page, site);
  const [, wasm] = await appFiles(page);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), ["switchboard.key", standIn.issueKey()]);
  await page.route(wasm, async (route) => {
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  await page.reload();
  await expect(page.getByRole("status")).toHaveText("Loading Switchboard…");
  await expect(page.getByRole("button", { name: /Connect/ })).toBeHidden();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(page.getByText("Loading Switchboard…")).toHaveCount(0);
});

test("when the first view's wasm cannot be loaded, the page says so instead of staying blank", async ({ page, site }) => {
  await page.route("**/switchboard-*_bg.wasm", (route) => route.abort("connectionreset"));
  await page.goto(site.url);
  await expect(page.getByRole("alert")).toHaveText("Switchboard could not be loaded. Check your connection, then reload the page.");
  await expect(page.getByRole("button", { name: /Connect/ })).toBeHidden();
});

test("from a page that failed to load the app, the start address shows the start page", async ({ page, site }) => {
  await openApp(page, site);
  const [, wasm] = await appFiles(page);
  await page.route(wasm, (route) => route.abort("connectionreset"));
  await page.goto(`${site.url}no/such/page`);
  await expect(page.getByRole("alert")).toContainText("Switchboard could not be loaded");
  await page.getByRole("link", { name: "Switchboard", exact: true }).click();
  await expect(page.getByRole("button", { name: /Connect/ })).toBeEnabled();
  await expect(page.getByRole("alert")).toHaveCount(0);
  // And Back: the failed page again, with its Try again.
  await page.goBack();
  await expect(page.getByRole("alert")).toContainText("Switchboard could not be loaded");
  await expect(page.locator("#start")).toBeHidden();
});

test("a Disconnect that storage refuses says the key will be back, and claims nothing else", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  await page.evaluate(() => {
    Storage.prototype.removeItem = function () {
      throw new DOMException("Refused.", "SecurityError");
    };
  });
  await page.getByRole("button", { name: /Disconnect/ }).click();
  await expect(page.getByRole("alert")).toContainText("This browser refused to forget the key");
  await expect(page.getByText("Disconnected: this browser forgot the key.")).toHaveCount(0);
  expect(await storedKey(page)).not.toBeNull();
});

test("the code leaves the address at once, even while the first view itself is still loading", async ({ page, site }) => {
  await openApp(page, site);
  let release = () => {};
  const held = new Promise<void>((done) => (release = done));
  await page.route("**/switchboard-*_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${site.url}callback/?flow=AAAAAAAAAAAAAAAAAAAAAA&code=heldcode`);
  expect(new URL(page.url()).search).toBe("");
  release();
  // The query reached the app all the same: it names a flow this browser never started.
  await expect(page.getByRole("alert")).toContainText("no sign-in in progress");
});

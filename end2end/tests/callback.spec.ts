// The callback: every exchange failure and malformed result, and exactly-once exchange.
import { test, expect, openApp, startSignIn, approve, storedKey, KEY_ENTRY, connect, FLOWS_ENTRY } from "../fixtures";

// Numbered after shared/SECURITY.md §9: 13 (failed exchanges), 14 (a 200 with a malformed body).
const FAILURES: { property: number; name: string; faults: Record<string, unknown>; message: RegExp }[] = [
  { property: 13, name: "400 invalid code", faults: { badCode: true, badCodeStatus: 400 }, message: /did not accept this sign-in/ },
  { property: 13, name: "403 invalid code or verifier", faults: { badCode: true, badCodeStatus: 403 }, message: /did not accept this sign-in/ },
  { property: 13, name: "403 code expired", faults: { exchange: "expired" }, message: /did not accept this sign-in/ },
  { property: 13, name: "405 wrong method", faults: { exchange: "405" }, message: /bug in Switchboard/ },
  { property: 13, name: "500 server error", faults: { exchange: "500" }, message: /could not complete sign-in \(HTTP 500\)/ },
  { property: 13, name: "network error", faults: { exchange: "abort" }, message: /Could not reach OpenRouter/ },
  { property: 14, name: "200 without a key", faults: { malformedKey: "missing" }, message: /no usable key/ },
  { property: 14, name: "200 with a non-string key", faults: { malformedKey: "number" }, message: /no usable key/ },
  { property: 14, name: "200 with an empty key", faults: { malformedKey: "empty" }, message: /no usable key/ },
  { property: 14, name: "200 with whitespace in the key", faults: { malformedKey: "whitespace" }, message: /no usable key/ },
  { property: 14, name: "200 with control characters in the key", faults: { malformedKey: "control" }, message: /no usable key/ },
  { property: 14, name: "200 with an over-long key", faults: { malformedKey: "long" }, message: /no usable key/ },
];

for (const failure of FAILURES) {
  test(`${failure.property}. exchange failure (${failure.name}): clear message, nothing stored, earlier key kept`, async ({ page, context, site, standIn }) => {
    standIn.setFaults(failure.faults);
    await openApp(page, site);
    await startSignIn(page);
    // Meanwhile an earlier key is in storage (say, connected from another tab).
    const k1 = standIn.issueKey();
    const other = await context.newPage();
    await other.goto(site.url);
    await other.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY_ENTRY, k1]);
    await other.close();

    await approve(page);
    const alert = page.getByRole("alert");
    await expect(alert).toContainText(failure.message);
    expect(await storedKey(page)).toBe(k1);
    // The message never holds the code, the verifier or a key; the URL is clean.
    const text = (await alert.textContent()) ?? "";
    const exchanges = standIn.exchangeRequests();
    expect(exchanges).toHaveLength(1);
    const body = JSON.parse(exchanges[0].body);
    expect(text).not.toContain(body.code);
    expect(text).not.toContain(body.code_verifier);
    expect(text).not.toMatch(/sk-or-v1-[0-9a-f]{8}/);
    expect(new URL(page.url()).search).toBe("");
    // The flow was consumed: the code is never retried, even on reload.
    await page.reload();
    await expect(page.getByRole("status")).toContainText("still connected");
    expect(standIn.exchangeRequests()).toHaveLength(1);
    expect(await page.evaluate((k) => localStorage.getItem(k), FLOWS_ENTRY)).toBe("");
  });
}

test("a failed sign-in offers Connect again, which starts a new flow", async ({ page, site, standIn }) => {
  standIn.setFaults({ exchange: "500" });
  await openApp(page, site);
  await startSignIn(page);
  const first = standIn.authRequests.at(-1)!;
  await approve(page);
  await expect(page.getByRole("alert")).toContainText("HTTP 500");
  standIn.setFaults({ exchange: "ok" });
  await page.getByRole("button", { name: /Connect again/ }).click();
  await page.waitForURL(/^https:\/\/openrouter\.ai\/auth\?/);
  const second = standIn.authRequests.at(-1)!;
  expect(second.code_challenge).not.toBe(first.code_challenge);
  expect(second.callback_url).not.toBe(first.callback_url);
  await approve(page);
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
});

test("reload and back on the callback send one POST in total", async ({ page, site, standIn }) => {
  const key = await connect(page, site);
  const [exchange] = standIn.exchangeRequests();
  const code = JSON.parse(exchange.body).code;
  // No history entry still holds the code.
  await page.reload();
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  await page.goBack();
  await page.waitForLoadState();
  expect(page.url()).not.toContain("code=");
  await page.goForward();
  await page.waitForLoadState();
  expect(page.url()).not.toContain("code=");
  // The original callback URL opened again (a bookmark, a new tab) exchanges nothing.
  const flow = new URL(standIn.authRequests.at(-1)!.callback_url).searchParams.get("flow");
  await page.goto(`${site.url}callback/?flow=${flow}&code=${code}`);
  await expect(page.getByRole("status")).toContainText(/still connected/);
  expect(new URL(page.url()).search).toBe("");
  expect(standIn.exchanges(code)).toBe(1);
  expect(standIn.exchangeRequests()).toHaveLength(1);
  expect(await storedKey(page)).toBe(key);
});

test("a reload during the exchange says sign-in was interrupted, and sends nothing more", async ({ page, site, standIn }) => {
  standIn.setFaults({ exchangeDelayMs: 3000 });
  await openApp(page, site);
  await startSignIn(page);
  await approve(page);
  await expect(page.getByText("Finishing sign-in…")).toBeVisible();
  await expect.poll(() => standIn.exchangeRequests().length).toBe(1);
  await page.reload();
  await expect(page.getByRole("alert")).toContainText("Sign-in was interrupted before it finished");
  await expect(page.getByRole("button", { name: /Connect again/ })).toBeVisible();
  expect(standIn.exchangeRequests()).toHaveLength(1);
  expect(await storedKey(page)).toBeNull();
  // Said once: a later visit is a plain one.
  await page.reload();
  await expect(page.getByRole("alert")).toContainText("There is no sign-in in progress");
});

test("a stored key that OpenRouter rejects is replaced without asking; a working one is asked about", async ({ page, context, site, standIn }) => {
  // A revoked key in storage: the new sign-in simply replaces it.
  const revoked = standIn.issueKey();
  standIn.revokeKey(revoked);
  await openApp(page, site);
  await startSignIn(page);
  const other = await context.newPage();
  await other.goto(site.url);
  await other.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY_ENTRY, revoked]);
  await other.close();
  await approve(page);
  await expect.poll(() => storedKey(page)).not.toBe(revoked);
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  const fresh = await storedKey(page);
  expect(fresh).toMatch(/^sk-or-v1-/);
  // A working key in storage: asked, and keeping it points to the unused new key's page.
  await page.getByRole("button", { name: /Disconnect/ }).click();
  await openApp(page, site);
  await startSignIn(page);
  const tab = await context.newPage();
  await tab.goto(site.url);
  await tab.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY_ENTRY, fresh!]);
  await tab.close();
  await approve(page);
  await page.getByRole("button", { name: "Keep the current key" }).click();
  await expect(page.getByRole("link", { name: "revoke it there" })).toHaveAttribute("href", /^https:\/\/openrouter\.ai\/keys\/[0-9a-f]{64}$/);
  expect(await storedKey(page)).toBe(fresh);
});

test("the name in the top bar waits while a sign-in is being finished, so the sign-in is never lost", async ({ page, site, standIn }) => {
  const home = page.getByRole("link", { name: "Switchboard", exact: true });
  // While the code is being traded.
  standIn.setFaults({ exchangeDelayMs: 1500 });
  await openApp(page, site);
  await startSignIn(page);
  await approve(page);
  await expect(page.getByText("Finishing sign-in…")).toBeVisible();
  await home.click();
  expect(new URL(page.url()).pathname).toBe(`${site.base}callback/`);
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  expect(page.url()).toBe(site.url);
  expect(await storedKey(page)).toMatch(/^sk-or-v1-/);
  // While the rest of the app is still loading for the callback (a fresh page: nothing cached).
  await page.getByRole("button", { name: /Disconnect/ }).click();
  standIn.setFaults({ exchangeDelayMs: 0 });
  const fresh = await page.context().newPage();
  await openApp(fresh, site);
  const wasm = await fresh.evaluate(() => new URL(document.querySelector("meta[name=app-wasm]")!.getAttribute("content")!, location.href).href);
  await fresh.route(wasm, async (route) => {
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  await startSignIn(fresh);
  await approve(fresh);
  await expect(fresh.getByRole("status")).toHaveText("Loading Switchboard…");
  await fresh.getByRole("link", { name: "Switchboard", exact: true }).click();
  await expect(fresh.getByRole("textbox", { name: "Message" })).toBeVisible();
  expect(await storedKey(fresh)).toMatch(/^sk-or-v1-/);
  // A failure still says what went wrong, on the callback page.
  await fresh.getByRole("button", { name: /Disconnect/ }).click();
  standIn.setFaults({ exchange: "500", exchangeDelayMs: 1500 });
  await startSignIn(fresh);
  await approve(fresh);
  await expect(fresh.getByText("Finishing sign-in…")).toBeVisible();
  await fresh.getByRole("link", { name: "Switchboard", exact: true }).click();
  await expect(fresh.getByRole("alert")).toContainText("could not complete sign-in (HTTP 500)");
  expect(await storedKey(fresh)).toBeNull();
});

test("the code leaves the address bar before the rest of the app has loaded", async ({ page, site }) => {
  await openApp(page, site);
  const wasm = await page.evaluate(() => new URL(document.querySelector("meta[name=app-wasm]")!.getAttribute("content")!, location.href).href);
  let release = () => {};
  const held = new Promise<void>((done) => (release = done));
  await page.route(wasm, async (route) => {
    await held;
    await route.continue();
  });
  await startSignIn(page);
  await approve(page);
  await expect(page.getByRole("status")).toHaveText("Loading Switchboard…");
  expect(new URL(page.url()).search).toBe("");
  expect(new URL(page.url()).pathname).toBe(`${site.base}callback/`);
  // The app, once loaded, completes the sign-in with the code it was handed.
  release();
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  expect(await storedKey(page)).toMatch(/^sk-or-v1-/);
});

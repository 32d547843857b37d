// Shared fixtures: the stand-in, the served release build, a Chromium that reaches the stand-in
// in place of https://openrouter.ai, and page helpers (connect, chat, watchers).
import { test as base, expect, type Page, type BrowserContext } from "@playwright/test";
import { startStandIn } from "./stand-in/openrouter.mjs";
import { startStaticServer } from "./static-server.mjs";
import { launchChromium } from "./chromium.mjs";

export type StandIn = Awaited<ReturnType<typeof startStandIn>>;
export type Site = { url: string; origin: string; base: string };

export const KEY_ENTRY = "switchboard.key";
export const FLOWS_ENTRY = "switchboard.flows";

type Options = { siteDir: string; siteBase: string };
type WorkerFixtures = { standIn: StandIn; site: Site };
type TestFixtures = { watch: Watch; resetStandIn: void; noPanics: void };

/** What a page did that tests may assert on: console lines, CSP violations, page errors. */
export class Watch {
  console: { type: string; text: string }[] = [];
  pageErrors: string[] = [];
  attach(page: Page) {
    page.on("console", (m) => this.console.push({ type: m.type(), text: m.text() }));
    page.on("pageerror", (e) => this.pageErrors.push(String(e)));
  }
  /** Every CSP violation in the page's context so far, in every document it loaded. */
  async violations(page: Page): Promise<string[]> {
    // Reports travel through a binding: a round trip to the page, after a frame and a task, lets
    // any report still on its way arrive first.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    return [...(cspViolations.get(page.context()) ?? [])];
  }
}

/** CSP violations by browser context, across every document and navigation. */
const cspViolations = new WeakMap<BrowserContext, string[]>();

/**
 * Records CSP violations from the very start of every document, in every page of the context:
 * the listener is installed before any script of the page runs, and reports to the test through
 * a binding, so that violations survive navigations (to OpenRouter and back, or a reload).
 */
async function installCspListener(context: BrowserContext) {
  const found: string[] = [];
  cspViolations.set(context, found);
  await context.exposeBinding("__reportCspViolation", ({ frame }, text: string) => {
    found.push(`${frame.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation?: (t: string) => void }).__reportCspViolation;
      report?.(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

export const test = base.extend<TestFixtures, Options & WorkerFixtures>({
  siteDir: ["../target/dist-pages", { option: true, scope: "worker" }],
  siteBase: ["/switchboard/", { option: true, scope: "worker" }],
  standIn: [
    async ({}, use) => {
      const standIn = await startStandIn();
      await use(standIn);
      await standIn.close();
    },
    { scope: "worker" },
  ],
  site: [
    async ({ siteDir, siteBase }, use) => {
      const server = await startStaticServer({
        dir: siteDir,
        base: siteBase,
        // Another page of the same origin, outside the app, and a service worker it can register.
        extraFiles: {
          "/sw-host.html": { type: "text/html", body: "<!DOCTYPE html><title>Another page of this origin</title>" },
          "/sw.js": { type: "text/javascript", body: "self.addEventListener('fetch', () => {});" },
        },
      });
      await use({ url: server.url, origin: server.origin, base: siteBase });
      await server.close();
    },
    { scope: "worker" },
  ],
  browser: [
    async ({ standIn }, use) => {
      const browser = await launchChromium(standIn.port);
      await use(browser);
      await browser.close();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ site }, use) => use(site.url),
  context: async ({ context }, use) => {
    await installCspListener(context);
    await use(context);
  },
  resetStandIn: [
    async ({ standIn }, use) => {
      standIn.reset();
      await use();
    },
    { auto: true },
  ],
  watch: async ({ page }, use) => {
    const watch = new Watch();
    watch.attach(page);
    await use(watch);
  },
  // Every test fails if any page of it panicked or threw (a panic in Rust is a bug, always).
  noPanics: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const track = (page: Page) => {
        page.on("pageerror", (e) => problems.push(`${page.url()}: ${e}`));
        page.on("console", (m) => {
          if (m.type() === "error" && /panicked at/.test(m.text())) problems.push(`${page.url()}: ${m.text().split("\n")[0]}`);
        });
      };
      context.pages().forEach(track);
      context.on("page", track);
      await use();
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens the app's start page. */
export async function openApp(page: Page, site: Site) {
  await page.goto(site.url);
  await expect(page.getByRole("button", { name: /Connect/ })).toBeEnabled();
}

/** Clicks Connect and returns once the stand-in's consent page is shown. */
export async function startSignIn(page: Page) {
  await page.getByRole("button", { name: /Connect/ }).first().click();
  await page.waitForURL(/^https:\/\/openrouter\.ai\/auth\?/);
}

/** Approves on the consent page, then waits for the chat. */
export async function approve(page: Page) {
  await page.getByRole("button", { name: "Authorize" }).click();
}

/** The whole sign-in: start page → Connect → Authorize → chat. Returns the stored key. */
export async function connect(page: Page, site: Site): Promise<string> {
  await openApp(page, site);
  await startSignIn(page);
  await approve(page);
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  const key = await storedKey(page);
  expect(key).toMatch(/^sk-or-v1-[0-9a-f]{64}$/);
  return key!;
}

/** Starts signed in with a key issued directly by the stand-in (no sign-in flow). */
export async function signedIn(page: Page, site: Site, standIn: StandIn): Promise<string> {
  const key = standIn.issueKey();
  await page.goto(site.url);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY_ENTRY, key]);
  await page.reload();
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  // The chat has loaded and asked OpenRouter about the key: nothing is still in flight.
  await expect(page.locator(".key-panel summary")).toContainText("sk-or-v1-");
  return key;
}

export async function storedKey(page: Page): Promise<string | null> {
  return page.evaluate((k) => localStorage.getItem(k), KEY_ENTRY);
}

/** Types a message and sends it with the Send button. */
export async function send(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** The text of the last assistant message once its stream has ended. */
export async function lastReply(page: Page): Promise<string> {
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0, { timeout: 15_000 });
  return (await page.locator('[data-role="assistant"]').last().textContent()) ?? "";
}

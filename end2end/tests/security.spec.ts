// shared/SECURITY.md §9, property by property. Each test is named after the property it checks.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  test,
  expect,
  openApp,
  startSignIn,
  approve,
  connect,
  storedKey,
  signedIn,
  send,
  lastReply,
  KEY_ENTRY,
  FLOWS_ENTRY,
  type Site,
  type StandIn,
} from "../fixtures";
import type { Page } from "@playwright/test";

/** The pending flows recorded in storage (one `<id> <verifier> <ms>` line each), by flow id. */
async function flows(page: Page): Promise<Record<string, { v: string; t: number }>> {
  const text: string = await page.evaluate((e) => localStorage.getItem(e) ?? "", FLOWS_ENTRY);
  const lines = text.split("\n").filter(Boolean).map((l) => l.split(" "));
  return Object.fromEntries(lines.map(([id, v, t]) => [id, { v, t: Number(t) }]));
}

/** Starts a real sign-in and returns its flow id and the code OpenRouter would send back. */
async function pendingSignIn(page: Page, site: Site, standIn: StandIn) {
  standIn.setFaults({ autoApprove: false });
  await openApp(page, site);
  await startSignIn(page);
  const auth = standIn.authRequests.at(-1)!;
  const flow = new URL(auth.callback_url).searchParams.get("flow")!;
  // Approve, but have the stand-in name the callback instead of redirecting to it, to keep the
  // code. (Aborting the request on the app's origin would not do: Playwright does not route a
  // redirect's target, so the callback page would load.)
  standIn.setFaults({ holdRedirect: true });
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/auth/decision")), approve(page)]);
  standIn.setFaults({ holdRedirect: false });
  const location = response.headers()["x-callback-location"];
  expect(location).toContain("code=");
  const code = new URL(location).searchParams.get("code")!;
  return { flow, code, location };
}

test.describe("PKCE", () => {
  test("4. Connect sends S256, a 43-char challenge and a fresh flow id, and never the verifier", async ({ page, site, standIn }) => {
    await openApp(page, site);
    await startSignIn(page);
    await page.goto(site.url);
    await startSignIn(page);
    const [a, b] = standIn.authRequests;
    for (const auth of [a, b]) {
      expect(auth.code_challenge_method).toBe("S256");
      expect(auth.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(auth.callback_url).toMatch(new RegExp(`^${escape(site.url)}callback/\\?flow=[A-Za-z0-9_-]{22,}$`));
    }
    expect(a.code_challenge).not.toBe(b.code_challenge);
    expect(a.callback_url).not.toBe(b.callback_url);
    // No URL holds a verifier.
    const verifiers = Object.values(await flowsOf(page, site)).map((f) => f.v);
    expect(verifiers).toHaveLength(2);
    for (const r of standIn.log) for (const v of verifiers) expect(r.url).not.toContain(v);
  });
});

async function flowsOf(page: Page, site: Site) {
  await page.goto(site.url);
  return flows(page);
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

test.describe("callback binding", () => {
  test("5. with no pending flow, any callback exchanges nothing, keeps the stored key, cleans the URL", async ({ page, site, standIn }) => {
    const k1 = await signedIn(page, site, standIn);
    for (const query of ["?code=attackercode", "?flow=AAAAAAAAAAAAAAAAAAAAAA&code=attackercode"]) {
      await page.goto(`${site.url}callback/${query}`);
      await expect(page.getByRole("status")).toContainText("No sign-in was in progress");
      expect(new URL(page.url()).search).toBe("");
      expect(await storedKey(page)).toBe(k1);
    }
    expect(standIn.exchangeRequests()).toHaveLength(0);
    // Signed out, the message is just as neutral.
    await page.evaluate((k) => localStorage.removeItem(k), KEY_ENTRY);
    await page.goto(`${site.url}callback/?code=attackercode`);
    await expect(page.getByRole("alert")).toContainText("There is no sign-in in progress in this browser");
    expect(standIn.exchangeRequests()).toHaveLength(0);
  });

  test("6. unknown, missing or built-in-named flow ids exchange nothing and leave the pending flow intact", async ({ page, site, standIn }) => {
    const { flow, code } = await pendingSignIn(page, site, standIn);
    for (const bad of ["", "flow=BBBBBBBBBBBBBBBBBBBBBB&", "flow=__proto__&", "flow=constructor&", "flow=hasOwnProperty&", "flow=toString&"]) {
      await page.goto(`${site.url}callback/?${bad}code=${code}`);
      await expect(page.getByRole("alert")).toContainText("no sign-in in progress");
      expect(Object.keys(await flows(page))).toEqual([flow]);
    }
    expect(standIn.exchangeRequests()).toHaveLength(0);
  });

  test("7. against a lenient server, an attacker's challenge-less code without our flow id exchanges nothing", async ({ page, site, standIn }) => {
    standIn.setFaults({ lenient: true });
    // The attacker's own flow, without a challenge, in another browser: a code the server would accept.
    const attackerCode = standIn.issueCode();
    const { flow } = await pendingSignIn(page, site, standIn);
    await page.goto(`${site.url}callback/?code=${attackerCode}`);
    await expect(page.getByRole("alert")).toContainText("no sign-in in progress");
    expect(standIn.exchangeRequests()).toHaveLength(0);
    expect(await storedKey(page)).toBeNull();
    expect(Object.keys(await flows(page))).toEqual([flow]);
  });

  test("8. access_denied for a pending flow shows sign-in cancelled, consumes it, exchanges nothing; markup stays text", async ({ page, site, standIn }) => {
    const { flow } = await pendingSignIn(page, site, standIn);
    await page.goto(`${site.url}callback/?flow=${flow}&error=access_denied&error_description=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`);
    const alert = page.getByRole("alert");
    await expect(alert).toContainText(/sign-in was cancelled/i);
    await expect(alert).toContainText("<img src=x onerror=alert(1)>");
    await expect(alert.locator("img")).toHaveCount(0);
    expect(new URL(page.url()).search).toBe("");
    expect(await flows(page)).toEqual({});
    expect(standIn.exchangeRequests()).toHaveLength(0);
    // Without a valid flow the description is never shown.
    await page.goto(`${site.url}callback/?error=access_denied&error_description=SECRET-LOOKING-TEXT`);
    await expect(page.getByRole("alert")).toBeVisible();
    await expect(page.locator("body")).not.toContainText("SECRET-LOOKING-TEXT");
  });

  test("8b. a denial on the stand-in's consent page comes back as sign-in cancelled", async ({ page, site, standIn }) => {
    for (const deny of ["error", "bare"]) {
      standIn.setFaults({ deny });
      await openApp(page, site);
      await startSignIn(page);
      await page.getByRole("button", { name: "Deny" }).click();
      await expect(page.getByRole("alert")).toContainText(/sign-in was cancelled/i);
      expect(standIn.exchangeRequests()).toHaveLength(0);
    }
  });

  test("9. a code or flow given twice is rejected before any network call", async ({ page, site, standIn }) => {
    const { flow, code } = await pendingSignIn(page, site, standIn);
    for (const query of [`flow=${flow}&code=${code}&code=${code}`, `flow=${flow}&flow=${flow}&code=${code}`]) {
      const before = standIn.log.length;
      await page.goto(`${site.url}callback/?${query}`);
      await expect(page.getByRole("alert")).toContainText("malformed");
      expect(standIn.log.slice(before).filter((r) => r.path.startsWith("/api/"))).toHaveLength(0);
    }
  });

  test("10. a missing, empty or oversized code is rejected without a network call", async ({ page, site, standIn }) => {
    const { flow } = await pendingSignIn(page, site, standIn);
    await page.goto(`${site.url}callback/?flow=${flow}&code=`);
    await expect(page.getByRole("alert")).toContainText("malformed");
    await page.goto(`${site.url}callback/?flow=${flow}&code=${"a".repeat(2049)}`);
    await expect(page.getByRole("alert")).toContainText("malformed");
    // Missing: the flow matched, so the sign-in is cancelled and the flow consumed.
    await page.goto(`${site.url}callback/?flow=${flow}`);
    await expect(page.getByRole("alert")).toContainText(/sign-in was cancelled/i);
    expect(standIn.exchangeRequests()).toHaveLength(0);
  });

  test("11. a flow older than 10 minutes is refused as expired and removed", async ({ page, site, standIn }) => {
    const { flow, code } = await pendingSignIn(page, site, standIn);
    // Age the recorded flow by eleven minutes.
    await page.goto(site.url);
    await page.evaluate(
      ([entry, id]) => {
        const lines = localStorage.getItem(entry as string)!.split("\n").filter(Boolean).map((l) => {
          const [fid, v, t] = l.split(" ");
          return fid === id ? `${fid} ${v} ${Number(t) - 11 * 60 * 1000}` : l;
        });
        localStorage.setItem(entry as string, lines.join("\n") + "\n");
      },
      [FLOWS_ENTRY, flow],
    );
    await page.goto(`${site.url}callback/?flow=${flow}&code=${code}`);
    await expect(page.getByRole("alert")).toContainText("expired");
    expect(await flows(page)).toEqual({});
    expect(standIn.exchangeRequests()).toHaveLength(0);
  });
});

test.describe("single use", () => {
  test("12. reload, Back/Forward and the original callback URL in a new tab make one POST in total", async ({ page, context, site, standIn }) => {
    const { location, code } = await pendingSignIn(page, site, standIn);
    await page.goto(location);
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    const key = await storedKey(page);
    await page.reload();
    await page.goBack();
    await page.goForward();
    const tab = await context.newPage();
    await tab.goto(location);
    await expect(tab.getByRole("status")).toContainText("still connected");
    expect(standIn.exchanges(code)).toBe(1);
    expect(await storedKey(tab)).toBe(key);
  });

  test("13. a failed exchange consumes the flow, never retries the code, and Try again uses a new verifier", async ({ page, site, standIn }) => {
    standIn.setFaults({ exchange: "500" });
    await openApp(page, site);
    await startSignIn(page);
    await approve(page);
    await expect(page.getByRole("alert")).toContainText("HTTP 500");
    const first = JSON.parse(standIn.exchangeRequests()[0].body);
    expect(await flows(page)).toEqual({});
    await page.reload();
    expect(standIn.exchangeRequests()).toHaveLength(1);
    standIn.setFaults({ exchange: "ok" });
    await page.getByRole("button", { name: /Connect/ }).first().click();
    await page.waitForURL(/openrouter\.ai\/auth/);
    await approve(page);
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    const second = JSON.parse(standIn.exchangeRequests()[1].body);
    expect(second.code_verifier).not.toBe(first.code_verifier);
    expect(second.code).not.toBe(first.code);
  });
});

test.describe("URL and referrer", () => {
  test("15. the URL is clean before the exchange is sent, and no history entry holds the code", async ({ page, site, standIn }) => {
    standIn.setFaults({ exchangeDelayMs: 1500 });
    await openApp(page, site);
    await startSignIn(page);
    await approve(page);
    await expect.poll(() => standIn.exchangeRequests().length).toBe(1);
    // The exchange is still pending here.
    expect(new URL(page.url()).search).toBe("");
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    const history = await page.evaluate(() => history.length);
    for (let i = 1; i < history; i++) {
      await page.goBack();
      expect(page.url()).not.toContain("code=");
    }
  });

  test("16. no request carries a Referer or a code beyond the exchange body; the no-referrer meta is present", async ({ page, site, standIn }) => {
    await connect(page, site);
    await send(page, "Hi");
    await lastReply(page);
    await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
    const code = JSON.parse(standIn.exchangeRequests()[0].body).code;
    for (const r of standIn.log) {
      // (OpenRouter's own consent page may refer to itself; nothing may refer from the app.)
      if (r.headers.referer) expect(r.headers.referer, r.path).toMatch(/^https:\/\/openrouter\.ai\/auth\?/);
      expect(r.headers.referer ?? "").not.toContain("code=");
      expect(r.headers.referer ?? "").not.toContain(site.origin);
      expect(r.url).not.toContain(code);
    }
  });
});

test.describe("key handling", () => {
  test("17. Authorization goes only to https://openrouter.ai/api/v1/, with no cookies", async ({ page, context, site, standIn }) => {
    // Cookies that a careless fetch would send: OpenRouter's, and the app origin's own.
    await context.addCookies([
      { name: "or_session", value: "planted-openrouter", url: "https://openrouter.ai/", secure: true, sameSite: "None" },
      { name: "app_cookie", value: "planted-app", url: site.origin },
    ]);
    const requests: { url: string; headers: Record<string, string>; type: string }[] = [];
    const pending: Promise<void>[] = [];
    page.on("request", (r) =>
      pending.push(r.allHeaders().then((headers) => void requests.push({ url: r.url(), headers, type: r.resourceType() }))),
    );
    const key = await connect(page, site);
    await send(page, "Hi");
    await lastReply(page);
    const withAuth = requests.filter((r) => r.headers.authorization);
    expect(withAuth.length).toBeGreaterThan(0);
    for (const r of withAuth) {
      expect(r.url).toMatch(/^https:\/\/openrouter\.ai\/api\/v1\//);
      expect(r.headers.authorization).toBe(`Bearer ${key}`);
    }
    for (const r of requests) if (!r.headers.authorization) expect(JSON.stringify(r)).not.toContain(key);
    // No fetch the app makes itself sends a cookie: not to OpenRouter's API, not to its own origin
    // (the app module's wasm). Navigations may (the browser goes to OpenRouter's consent page), and
    // the page's own files load like any page's: the first view's wasm is the page's preload.
    await Promise.all(pending);
    const preloads = await page.evaluate(() => [...document.querySelectorAll("link[rel=preload]")].map((l) => (l as HTMLLinkElement).href));
    expect(preloads).toHaveLength(1);
    const fetches = requests.filter((r) => r.type === "fetch" && !preloads.includes(r.url));
    expect(fetches.some((r) => r.url.startsWith(site.origin))).toBe(true);
    expect(fetches.some((r) => r.url.startsWith("https://openrouter.ai/api/v1/"))).toBe(true);
    for (const r of fetches) expect(r.headers.cookie, r.url).toBeUndefined();
    const api = standIn.log.filter((r) => r.path.startsWith("/api/"));
    expect(api.length).toBeGreaterThan(0);
    for (const r of api) expect(r.headers.cookie, r.path).toBeUndefined();
    // (The planted cookie does reach OpenRouter on navigation, so the check above can fail.)
    expect(standIn.log.some((r) => r.path === "/auth" && /or_session=planted/.test(r.headers.cookie ?? ""))).toBe(true);
  });

  test("18. the key never appears in URLs, the console, the title, the DOM or other storage", async ({ page, site, standIn, watch }) => {
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));
    const key = await connect(page, site);
    await send(page, "Hi");
    await lastReply(page);
    await page.locator("summary", { hasText: "sk-or-v1-" }).click();
    await expect(page.locator(".key-panel")).toContainText(`${key.slice(0, 12)}...${key.slice(-3)}`);
    for (const url of urls) expect(url).not.toContain(key);
    for (const line of watch.console) expect(line.text).not.toContain(key);
    expect(await page.title()).not.toContain(key);
    const dom = await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
    expect(dom).not.toContain(key);
    expect(dom).not.toContain(key.slice(12, 40));
    const storage = await page.evaluate(() => ({
      session: Object.entries(sessionStorage),
      local: Object.entries(localStorage),
    }));
    expect(storage.session).toEqual([]);
    for (const [name, value] of storage.local) {
      if (name !== KEY_ENTRY) expect(value).not.toContain(key);
    }
  });

  test("20. Disconnect removes the entry, other tabs sign out within a second, and the user is told to revoke", async ({ page, context, site, standIn }) => {
    const key = await signedIn(page, site, standIn);
    const other = await context.newPage();
    await other.goto(site.url);
    await expect(other.getByRole("textbox", { name: "Message" })).toBeVisible();
    await page.getByRole("button", { name: /Disconnect/ }).click();
    expect(await storedKey(page)).toBeNull();
    await expect(other.getByRole("button", { name: /Connect/ })).toBeVisible({ timeout: 1000 });
    const revoke = page.getByRole("link", { name: /revoke it there/ });
    await expect(revoke).toHaveAttribute("href", /^https:\/\/openrouter\.ai\/keys\/[0-9a-f]{64}$/);
    // The other tab can no longer chat, and sends nothing with the old key afterwards.
    const before = standIn.log.length;
    await expect(other.getByRole("textbox", { name: "Message" })).toHaveCount(0);
    await other.reload();
    await expect(other.getByRole("button", { name: /Connect/ })).toBeVisible();
    await expect(other.getByRole("textbox", { name: "Message" })).toHaveCount(0);
    expect(standIn.log.slice(before).filter((r) => r.headers.authorization)).toHaveLength(0);
    expect(await other.evaluate(() => Object.values(localStorage).join("\n"))).not.toContain(key);
  });
});

test.describe("tabs", () => {
  test("21. two sign-ins started together each use their own verifier, and the final key reaches every tab", async ({ context, page, site, standIn }) => {
    const a = page;
    const b = await context.newPage();
    await openApp(a, site);
    await openApp(b, site);
    await startSignIn(a);
    await startSignIn(b);
    await approve(a);
    await expect(a.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    await approve(b);
    // B finds A's key stored: it asks before replacing it.
    await b.getByRole("button", { name: "Use the new key" }).click();
    await expect(b.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    const [x, y] = standIn.exchangeRequests().map((r) => JSON.parse(r.body));
    expect(x.code_verifier).not.toBe(y.code_verifier);
    const final = await storedKey(b);
    await expect.poll(() => storedKey(a)).toBe(final);
    // Tab A uses the final key for its next request.
    await send(a, "Who am I?");
    await lastReply(a);
    const chat = standIn.log.filter((r) => r.path === "/api/v1/chat/completions" && r.method === "POST").at(-1)!;
    expect(chat.headers.authorization).toBe(`Bearer ${final}`);
  });

  test("21b. a double click on Connect starts two flows, and each completes with its own verifier", async ({ page, site, standIn }) => {
    await openApp(page, site);
    // Hold both trips to the consent page, to see what each click started: a 204 answer to a
    // navigation leaves the tab where it is.
    const consent: string[] = [];
    const isConsent = (url: URL) => url.origin === "https://openrouter.ai" && url.pathname === "/auth";
    await page.route(isConsent, (route) => {
      consent.push(route.request().url());
      return route.fulfill({ status: 204 });
    });
    await page.getByRole("button", { name: /Connect/ }).dblclick();
    await expect.poll(async () => Object.keys(await flows(page)).length).toBe(2);
    const pending = await flows(page);
    const verifiers = Object.values(pending).map((f) => f.v);
    expect(new Set(verifiers).size).toBe(2);
    // The second click's navigation may replace the first's before it leaves, so the tab asks for
    // one consent page or two; each flow's is the same URL with its own flow id and challenge.
    await expect.poll(() => consent.length).toBeGreaterThan(0);
    const consentFor = (flow: string) => {
      const url = new URL(consent[0]);
      const callback = new URL(url.searchParams.get("callback_url")!);
      callback.searchParams.set("flow", flow);
      url.searchParams.set("callback_url", callback.href);
      url.searchParams.set("code_challenge", createHash("sha256").update(pending[flow].v).digest("base64url"));
      return url.href;
    };
    const flowOf = (u: string) => new URL(new URL(u).searchParams.get("callback_url")!).searchParams.get("flow")!;
    for (const u of consent) expect(consentFor(flowOf(u))).toBe(u);
    const urls = Object.keys(pending).map(consentFor);
    await page.unroute(isConsent);
    // Both sign-ins complete, one after the other.
    await page.goto(urls[0]);
    await approve(page);
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    await page.goto(urls[1]);
    await approve(page);
    await page.getByRole("button", { name: "Use the new key" }).click();
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveCount(0);
    const used = standIn.exchangeRequests().map((r) => JSON.parse(r.body).code_verifier);
    expect(new Set(used)).toEqual(new Set(verifiers));
    expect(await flows(page)).toEqual({});
  });

  test("22. a callback that opens in another tab completes there (pending flows are shared)", async ({ context, page, site, standIn }) => {
    const { location } = await pendingSignIn(page, site, standIn);
    const tab = await context.newPage();
    await tab.goto(location);
    await expect(tab.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    expect(standIn.exchangeRequests()).toHaveLength(1);
    expect(await storedKey(tab)).toMatch(/^sk-or-v1-/);
  });
});

test.describe("CSP, framing and deployment", () => {
  test("23. the CSP meta is first, strict, and the whole journey raises no violation", async ({ page, site, watch }) => {
    await openApp(page, site);
    const head = await page.evaluate(() => [...document.head.children].map((e) => e.outerHTML));
    expect(head[0]).toMatch(/<meta charset=/i);
    expect(head[1]).toContain('http-equiv="Content-Security-Policy"');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}='/);
    expect(csp).toContain("connect-src 'self' https://openrouter.ai;");
    expect(csp).toContain("img-src 'self' data:");
    await startSignIn(page);
    await approve(page);
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    await send(page, "Hi");
    await lastReply(page);
    expect(await watch.violations(page)).toEqual([]);
    expect(watch.console.filter((m) => /Content Security Policy/i.test(m.text))).toEqual([]);
    // The listener does catch a violation (so the checks above can fail): a remote image.
    await page.evaluate(() => {
      new Image().src = "https://images.example/pixel.png";
    });
    await expect.poll(() => watch.violations(page)).toEqual([expect.stringContaining("img-src https://images.example/pixel.png")]);
  });

  test("25. framed by another origin, the app loads no key and offers no sign-in or chat", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    const before = standIn.log.length;
    // http://127.0.0.1:<port> is another origin than http://localhost:<port>; frame the app from there.
    await page.goto(site.origin.replace("localhost", "127.0.0.1") + "/sw-host.html");
    await page.setContent(`<iframe src="${site.url}" width="800" height="600"></iframe>`);
    const frame = page.frameLocator("iframe");
    await expect(frame.getByRole("alert")).toContainText("does not run inside another page");
    await expect(frame.getByRole("button")).toHaveCount(0);
    await expect(frame.getByRole("textbox")).toHaveCount(0);
    expect(standIn.log.slice(before).filter((r) => r.headers.authorization)).toHaveLength(0);
  });

  test("26. the release build names no API origin but https://openrouter.ai", async ({ siteDir }) => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(join(process.cwd(), siteDir));
    const text = files.map((f) => readFileSync(f).toString("latin1")).join("\n");
    expect(text).toContain("https://openrouter.ai/api/v1/chat/completions");
    for (const forbidden of ["localhost", "127.0.0.1", "stand-in", "http://openrouter"]) {
      expect(text.includes(forbidden), forbidden).toBe(false);
    }
    // Every https origin named anywhere: OpenRouter, plus one documentation link inside a
    // framework warning string (never fetched).
    const origins = new Set([...text.matchAll(/https:\/\/[a-z0-9.-]+/g)].map((m) => m[0]));
    expect([...origins].sort()).toEqual(["https://developer.mozilla.org", "https://openrouter.ai"]);
  });

  test("27. no service worker is registered; a foreign one in control makes the app warn and skip the key", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    // Another page of the same origin registers a worker whose scope covers the app.
    await page.goto(`${site.origin}/sw-host.html`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      await navigator.serviceWorker.ready;
    });
    const before = standIn.log.length;
    await page.goto(site.url);
    await expect(page.getByRole("alert")).toContainText("service worker");
    await expect(page.getByRole("button")).toHaveCount(0);
    expect(standIn.log.slice(before).filter((r) => r.headers.authorization)).toHaveLength(0);
  });

  test("30. a redirect-style parameter on the callback never leaves the app", async ({ page, site, standIn }) => {
    const { location } = await pendingSignIn(page, site, standIn);
    await page.goto(`${location}&next=https%3A%2F%2Fevil.example%2F&return_to=https%3A%2F%2Fevil.example%2F`);
    await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
    expect(page.url()).toBe(site.url);
  });
});

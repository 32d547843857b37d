// Streaming: awkward chunking, line endings, keep-alives, usage shapes, mid-stream errors, Stop.
import { test, expect, signedIn, send, lastReply } from "../fixtures";

const REPLY = "Grüße aus dem Stand-in! 🌍 Ünïcödé, emoji 🎉 and CJK 漢字 survive any split.";

const SHAPES: { name: string; script: Record<string, unknown> }[] = [
  { name: "writes of random 1-17 bytes", script: { splitBytes: "random" } },
  { name: "one byte per write", script: { splitBytes: 1, tokensPerSecond: 0 } },
  { name: "CRLF line endings split every 3 bytes", script: { lineEnding: "\r\n", splitBytes: 3 } },
  { name: "CR line endings", script: { lineEnding: "\r", splitBytes: "random" } },
  { name: "many keep-alives before the first token", script: { keepAlivesBefore: 50, keepAliveIntervalMs: 20, silenceMs: 400 } },
  { name: "usage after the finish chunk with one empty choice", script: { usage: "after-finish" } },
  { name: "usage without choices", script: { usage: "no-choices" } },
];

for (const shape of SHAPES) {
  test(`a stream with ${shape.name} renders exactly`, async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.pushScript({ reply: REPLY, ...shape.script });
    await send(page, "Say hello");
    expect(await lastReply(page)).toBe(REPLY);
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expect(page.locator(".message").last()).toContainText(/tokens · \$0\.000093/);
  });
}

test("a mid-stream error keeps the text received so far", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reply: "The first part arrives, then the provider fails.", errorAfterChars: 20, errorCode: "server_error", errorMessage: "Provider crashed" });
  await send(page, "Go");
  const text = await lastReply(page);
  expect(text.length).toBeGreaterThanOrEqual(20);
  expect("The first part arrives, then the provider fails.".startsWith(text)).toBe(true);
  await expect(page.getByRole("alert")).toContainText("The model stopped with an error (server_error): Provider crashed");
});

test("a stream cut off without [DONE] keeps its text and says so", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reply: "This reply is cut off halfway through the sentence.", cutAfterChars: 16 });
  await send(page, "Go");
  const text = await lastReply(page);
  expect(text).toBe("This reply is cut off halfway through the sentence.".slice(0, 16));
  await expect(page.getByRole("alert")).toContainText(/cut off/);
});

test("an error before any text adds no empty reply, and Retry asks again", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.setFaults({ chatStatus: 502 });
  await send(page, "Hello?");
  await expect(page.getByRole("alert")).toContainText("HTTP 502");
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(0);
  standIn.setFaults({ chatStatus: null });
  standIn.pushScript({ reply: "Back again." });
  await page.getByRole("button", { name: "Retry" }).click();
  expect(await lastReply(page)).toBe("Back again.");
  await expect(page.getByRole("alert")).toHaveCount(0);
  // The question was asked once, not twice.
  const requests = standIn.log.filter((r) => r.path === "/api/v1/chat/completions" && r.method === "POST");
  expect(JSON.parse(requests.at(-1)!.body).messages).toEqual([{ role: "user", content: "Hello?" }]);
  await expect(page.locator('[data-role="user"]')).toHaveText(["Hello?"]);
});

test("Retry replaces a reply that was cut off", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reply: "This reply is cut off halfway through the sentence.", cutAfterChars: 16 }, { reply: "Whole this time." });
  await send(page, "Go");
  await lastReply(page);
  await page.getByRole("button", { name: "Retry" }).click();
  expect(await lastReply(page)).toBe("Whole this time.");
  await expect(page.locator('[data-role="assistant"]')).toHaveText(["Whole this time."]);
});

test("Stop aborts the request and keeps the partial reply", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reply: "word ".repeat(400), tokensPerSecond: 20 });
  await send(page, "Talk for a while");
  const live = page.locator('[data-role="assistant"]').last();
  await expect(live).toContainText("word word");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  const kept = (await live.textContent()) ?? "";
  expect(kept.length).toBeGreaterThan(5);
  expect(kept.length).toBeLessThan(2000);
  await expect.poll(() => standIn.aborted.length).toBe(1);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.locator(".message").last()).toContainText("Stopped");
});

test("reasoning streams apart from the answer", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reasoning: "Let me think about greetings.", reply: "Hello!" });
  await send(page, "Hi");
  expect(await lastReply(page)).toBe("Hello!");
  await expect(page.locator(".message").last().locator("details")).toContainText("Let me think about greetings.");
});

test("a connection dropped mid-stream keeps its text and says it was cut off", async ({ page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reply: "This reply loses its connection halfway through.", dropAfterChars: 16 });
  await send(page, "Go");
  const text = await lastReply(page);
  expect(text).toBe("This reply loses its connection halfway through.".slice(0, 16));
  await expect(page.getByRole("alert")).toContainText(/cut off before it finished/);
});

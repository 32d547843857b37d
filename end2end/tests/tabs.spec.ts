// Tabs share the key: a connect or disconnect in one is followed by the others within a second.
import { test, expect, signedIn, storedKey, connect } from "../fixtures";

test("Disconnect in one tab is seen in another within a second", async ({ context, page, site, standIn }) => {
  const key = await signedIn(page, site, standIn);
  const other = await context.newPage();
  await other.goto(site.url);
  await expect(other.getByRole("button", { name: /Disconnect/ })).toBeVisible();

  await page.getByRole("button", { name: /Disconnect/ }).click();
  await expect(page.getByRole("button", { name: /Connect/ })).toBeVisible();
  expect(await storedKey(page)).toBeNull();
  await expect(other.getByRole("button", { name: /Connect/ })).toBeVisible({ timeout: 1000 });
  await expect(other.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  void key;
});

test("Connect in one tab is seen in another within a second", async ({ context, page, site }) => {
  const other = await context.newPage();
  await other.goto(site.url);
  await expect(other.getByRole("button", { name: /Connect/ })).toBeVisible();
  await connect(page, site);
  await expect(other.getByRole("button", { name: /Disconnect/ })).toBeVisible({ timeout: 1000 });
});

test("Disconnect in another tab aborts a running stream", async ({ context, page, site, standIn }) => {
  await signedIn(page, site, standIn);
  standIn.pushScript({ reply: "word ".repeat(400), tokensPerSecond: 20 });
  await page.getByRole("textbox", { name: "Message" }).fill("Talk");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  const other = await context.newPage();
  await other.goto(site.url);
  await other.getByRole("button", { name: /Disconnect/ }).click();
  await expect.poll(() => standIn.aborted.length, { timeout: 2000 }).toBe(1);
  await expect(page.getByRole("button", { name: /Connect/ })).toBeVisible({ timeout: 1000 });
});

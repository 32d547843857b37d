// The key panel and the paste-a-key fallback.
import { test, expect, openApp, signedIn, storedKey } from "../fixtures";
import { createHash } from "node:crypto";

test("the key panel shows the masked label, usage, limit, remaining credit, tier and links", async ({ page, site, standIn }) => {
  standIn.setFaults({ keyLimit: 10, keyLimitRemaining: 9.75, freeTier: true });
  const key = await signedIn(page, site, standIn);
  const panel = page.locator(".key-panel");
  const label = `${key.slice(0, 12)}...${key.slice(-3)}`;
  await expect(panel.locator("summary")).toHaveText(label);
  await panel.locator("summary").click();
  await expect(panel).toContainText("Limit$10.0000");
  await expect(panel).toContainText("Remaining$9.7500");
  await expect(panel).toContainText("free tier");
  const hash = createHash("sha256").update(key).digest("hex");
  await expect(panel.getByRole("link", { name: "This key on OpenRouter" })).toHaveAttribute("href", `https://openrouter.ai/keys/${hash}`);
  await expect(panel.getByRole("link", { name: "Its activity" })).toHaveAttribute("href", `https://openrouter.ai/logs?api_key_hash=${hash}`);
  for (const link of await panel.getByRole("link").all()) {
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  }
  await expect(panel).toContainText("revoke it on OpenRouter");
});

test("a key OpenRouter no longer accepts is reported with Connect again", async ({ page, site, standIn }) => {
  const key = await signedIn(page, site, standIn);
  standIn.revokeKey(key);
  await page.reload();
  await expect(page.getByRole("alert")).toContainText("no longer accepts this key");
  await expect(page.getByRole("button", { name: /Connect again/ })).toBeVisible();
  // Nothing is thrown away: the user decides.
  expect(await storedKey(page)).toBe(key);
});

test("a pasted key is checked with OpenRouter before it is stored", async ({ page, site, standIn }) => {
  const key = standIn.issueKey();
  await openApp(page, site);
  await page.getByText("Already have an OpenRouter key?").click();
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Use this key" }).click();
  await expect(page.getByRole("button", { name: /Disconnect/ })).toBeVisible();
  expect(await storedKey(page)).toBe(key);
  const check = standIn.log.find((r) => r.path === "/api/v1/key" && r.method === "GET");
  expect(check?.headers.authorization).toBe(`Bearer ${key}`);
});

for (const pasted of ["sk-or-v1 has spaces", "my-password-123", "sk-or-v1-"]) {
  test(`a malformed pasted key (${pasted}) gets a clear message and nothing is stored or sent`, async ({ page, site, standIn }) => {
    await openApp(page, site);
    await page.getByText("Already have an OpenRouter key?").click();
    await page.getByLabel("API key").fill(pasted);
    await page.getByRole("button", { name: "Use this key" }).click();
    await expect(page.getByRole("alert")).toContainText("does not look like an OpenRouter key");
    expect(await storedKey(page)).toBeNull();
    expect(standIn.log.filter((r) => r.headers.authorization)).toHaveLength(0);
    await expect(page.getByLabel("API key")).toHaveValue("");
  });
}

test("a pasted key OpenRouter rejects is not stored", async ({ page, site, standIn }) => {
  await openApp(page, site);
  await page.getByText("Already have an OpenRouter key?").click();
  await page.getByLabel("API key").fill(`sk-or-v1-${"0".repeat(64)}`);
  await page.getByRole("button", { name: "Use this key" }).click();
  await expect(page.getByRole("alert")).toContainText("OpenRouter rejected that key");
  expect(await storedKey(page)).toBeNull();
  await expect(page.getByRole("button", { name: /Connect/ }).first()).toBeVisible();
});

test("the landing's About tells where the key lives, the shared-origin risk, and how to revoke it", async ({ page, site }) => {
  await openApp(page, site);
  const about = page.locator("details.about");
  await about.locator("summary", { hasText: "About your key" }).click();
  await expect(about).toContainText("kept in this browser, for this site only");
  await expect(about).toContainText("Any other page served from this same origin could read it");
  await expect(about).toContainText("credit limit");
  const link = about.getByRole("link", { name: "revoke it in your key settings" });
  await expect(link).toHaveAttribute("href", "https://openrouter.ai/settings/keys");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
});

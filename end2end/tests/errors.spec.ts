// API errors before the first token: each says what to do next.
import { test, expect, signedIn, send } from "../fixtures";

const CASES: { status: number | string; retryAfter?: number; message: RegExp; connect?: boolean }[] = [
  { status: 401, message: /no longer accepts this key/, connect: true },
  { status: 402, message: /Not enough credits.*lower Max tokens.*can only afford 3919/ },
  { status: 429, message: /Too many requests right now/ },
  { status: 429, retryAfter: 30, message: /wait 30 s/ },
  { status: "context", message: /longer than the model's context window/ },
  { status: 403, message: /refused this request.*harassment/ },
  { status: 502, message: /HTTP 502.*unavailable right now/ },
  { status: 503, message: /HTTP 503.*unavailable right now/ },
  { status: 408, message: /HTTP 408.*timed out/ },
  { status: 400, message: /HTTP 400.*Invalid model/ },
];

for (const c of CASES) {
  test(`chat error ${c.status}${c.retryAfter ? " with a retry hint" : ""} explains what to do`, async ({ page, site, standIn }) => {
    await signedIn(page, site, standIn);
    standIn.setFaults({ chatStatus: c.status, retryAfter: c.retryAfter ?? null });
    await send(page, "Hello?");
    await expect(page.getByRole("alert")).toContainText(c.message);
    await expect(page.getByRole("button", { name: /Connect again/ })).toHaveCount(c.connect ? 1 : 0);
    if (c.status === 402) {
      await expect(page.getByRole("alert").getByRole("link", { name: "Add credits on OpenRouter" })).toHaveAttribute(
        "href",
        "https://openrouter.ai/settings/credits",
      );
    }
    // The conversation is kept; the user's message is still there.
    await expect(page.locator('[data-role="user"]')).toHaveText(["Hello?"]);
  });
}

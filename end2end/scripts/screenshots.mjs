// Regenerates the README's screenshots from the release build (dist/) against the stand-in:
//   node end2end/scripts/screenshots.mjs
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { startStandIn } from "../stand-in/openrouter.mjs";
import { startStaticServer } from "../static-server.mjs";
import { launchChromium } from "../chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const standIn = await startStandIn();
standIn.setFaults({ autoApprove: true });
const site = await startStaticServer({ dir: join(root, "dist"), base: "/" });
const browser = await launchChromium(standIn.port);
const page = await browser.newPage({ viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1 });
await page.goto(site.url);
await page.getByRole("button", { name: /Connect/ }).waitFor();
await page.screenshot({ path: join(root, "docs", "start.png") });
await page.getByRole("button", { name: /Connect/ }).click();
await page.getByRole("button", { name: /Disconnect/ }).waitFor();
standIn.pushScript({
  reply:
    "PKCE binds the sign-in to **this browser**: the app keeps a random *verifier*, sends only its SHA-256 *challenge*, and proves it holds the verifier when it trades the code for a key.\n\n```rust\nlet challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier));\n```\n\nA code stolen on the way back is useless without it.",
  tokensPerSecond: 0,
});
await page.getByRole("textbox", { name: "Message" }).fill("In two sentences: why does PKCE protect a browser sign-in?");
await page.getByRole("button", { name: "Send" }).click();
await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached" });
await page.screenshot({ path: join(root, "docs", "chat.png") });
await browser.close();
await site.close();
await standIn.close();
console.log("wrote docs/start.png and docs/chat.png");

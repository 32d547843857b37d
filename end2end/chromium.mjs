// The one way this project launches Chromium: the system browser (or CHROMIUM_PATH), which never
// reaches the internet, and which resolves openrouter.ai to the local stand-in. Used by the tests'
// fixtures, the benchmark and the screenshot script.
import { chromium } from "@playwright/test";

/** Flags for a Chromium that never reaches the internet (no background services, no QUIC). */
const OFFLINE_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches headless Chromium with https://openrouter.ai mapped to the stand-in listening on
 * `standInPort` (its certificate is self-signed, hence the last flag).
 * @param {number} standInPort
 */
export function launchChromium(standInPort) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      ...OFFLINE_ARGS,
      `--host-resolver-rules=MAP openrouter.ai 127.0.0.1:${standInPort}`,
      "--ignore-certificate-errors",
    ],
  });
}

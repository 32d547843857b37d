// Runs the OpenRouter stand-in by hand, so the whole flow can be tried offline.
//
//   node end2end/stand-in/main.mjs [--port 8443] [--auto-approve]
//
// Then start a browser that reaches the stand-in in place of https://openrouter.ai, for example:
//   chromium --host-resolver-rules="MAP openrouter.ai 127.0.0.1:8443" --ignore-certificate-errors \
//            --user-data-dir="$(mktemp -d)" http://localhost:3000
// (those flags belong to a throwaway test profile only: never use them for everyday browsing).
import { startStandIn } from "./openrouter.mjs";

const args = process.argv.slice(2);
const portArg = args.indexOf("--port");
const port = portArg >= 0 ? Number(args[portArg + 1]) : 8443;
const standIn = await startStandIn({ port, quiet: false });
if (args.includes("--auto-approve")) standIn.setFaults({ autoApprove: true });
console.log(`OpenRouter stand-in listening on https://127.0.0.1:${standIn.port}`);
console.log("Start a throwaway Chromium profile that maps openrouter.ai to it:");
console.log(
  `  chromium --host-resolver-rules="MAP openrouter.ai 127.0.0.1:${standIn.port}" --ignore-certificate-errors --user-data-dir="$(mktemp -d)" http://localhost:3000`,
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await standIn.close();
    process.exit(0);
  });
}

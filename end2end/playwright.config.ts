import { defineConfig } from "@playwright/test";

// The release build is served like GitHub Pages (see static-server.mjs) under a project path,
// `/switchboard/`, and also at the root; Chromium reaches the OpenRouter stand-in in place of
// https://openrouter.ai through host-resolver rules (see fixtures.ts). Builds come from
// scripts/test.sh: ../dist (root) and ../target/dist-pages (project path).
export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    trace: "off",
    screenshot: "off",
    video: "off",
  },
  projects: [
    {
      name: "pages",
      use: { siteDir: "../target/dist-pages", siteBase: "/switchboard/" },
    },
    {
      name: "root",
      use: { siteDir: "../dist", siteBase: "/" },
      testMatch: /(journey|deploy-path)\.spec\.ts/,
    },
  ],
});

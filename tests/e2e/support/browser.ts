// Launches Debian's Chromium through playwright-core (never a downloaded browser). Flags: no
// background networking (this machine's network is closed), software WebGL through Mesa
// llvmpipe (3–6× faster than SwiftShader) for the map tests.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium fonts-noto-cjk ` +
        '(or set CHROMIUM_PATH). Never `npx playwright install`: it cannot download here.',
    );
  }
  // A pinned-clock run (scripts/pinned-clock.sh) preloads libfaketime into this process: Chromium
  // must not inherit it (its own processes hang under it); the page's clock comes from the server.
  const { LD_PRELOAD: _preload, ...env } = process.env;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    env,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=gl-egl',
      '--ignore-gpu-blocklist',
    ],
  });
}

// The weekly briefing in Chromium through the web host (issue 8), against a real dispatch server
// with the planted history (2.5M cases; scripts/demo-data/planted.ts), as the city's duty
// leader: the week of the planted hazchem rise renders charts (pixels, not just elements), the
// planted rise and laggards are listed, a figure opens its cases, presentation mode pages with
// the keyboard, and the exports are checked — the PDF (Chromium's print of the report, the
// same layout the browser's "Save as PDF" and Electron's printToPDF use) through pdftotext and
// page images, the CSV and XLSX as downloaded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import { isoWeekLabel, weekOfMs } from '../../src-shared/briefing/weeks';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { readManifest } from '../../src-server/dataset/read-dataset';
import { ensurePlantedDataset } from '../support/datasets';
import { startTestServer, type TestServer } from '../support/server-client';
import { countColors, decodePng } from './map-pixels';
import { launchChromium } from './support/browser';
import { artifactPath, ROOT } from './support/paths';

const WEEK_MS = 7 * 86_400_000;
const ACCENT: [number, number, number] = [47, 155, 255];

/** One entry of a zip (local headers walked from the start; deflate or stored). */
function unzipEntry(zip: Buffer, name: string): string {
  let p = 0;
  while (zip.readUInt32LE(p) === 0x04034b50) {
    const method = zip.readUInt16LE(p + 8);
    const size = zip.readUInt32LE(p + 18);
    const nameLen = zip.readUInt16LE(p + 26);
    const extra = zip.readUInt16LE(p + 28);
    const entry = zip.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const data = zip.subarray(p + 30 + nameLen + extra, p + 30 + nameLen + extra + size);
    if (entry === name) return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 30 + nameLen + extra + size;
  }
  throw new Error(`no ${name} in the zip`);
}

/** Distinct colours (quantised to 16 levels a channel) in a screenshot: a blank area has 1–2. */
function distinctColours(png: Buffer): number {
  const seen = new Set<number>();
  const img = decodePng(png);
  for (let i = 0; i < img.data.length; i += 4)
    seen.add(((img.data[i] >> 4) << 8) | ((img.data[i + 1] >> 4) << 4) | (img.data[i + 2] >> 4));
  return seen.size;
}

/** How far down the page the content reaches (0..1), the bottom 8 % left out. */
function contentDepth(img: { width: number; height: number; data: Uint8Array | Buffer }): number {
  const limit = Math.floor(img.height * 0.92);
  let last = 0;
  for (let y = 0; y < limit; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i] < 235 || img.data[i + 1] < 235 || img.data[i + 2] < 235) {
        last = y;
        break;
      }
    }
  return last / img.height;
}

describe('weekly briefing in Chromium through the web host', () => {
  let t: TestServer;
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  let plantedWeek: number;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    const datasetDir = ensurePlantedDataset();
    t = await startTestServer({ datasetDir });
    host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.server.url,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-briefing-')),
    });
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1500, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
      acceptDownloads: true,
    });
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    // The one-week hazchem rise of the planted history, moved by the import's whole-week shift.
    const manifest = readManifest(datasetDir);
    const rise = manifest.plantedRises.find((r) => r.weeks === 1)!;
    const [y, m, d] = rise.fromDay.split('-').map(Number);
    const shift = Number(
      (
        t.server.db.prepare("SELECT value FROM meta WHERE key = 'history_shift_ms'").get() as {
          value: string;
        }
      ).value,
    );
    plantedWeek = weekOfMs(shanghaiMs(y, m, d)) + Math.round(shift / WEEK_MS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await t?.dispose();
    if (consoleLines.some((l) => l.startsWith('[pageerror]'))) console.log(consoleLines.join('\n'));
  });

  it('renders the planted week: charts drawn, the planted rise explained, the laggards called in', async () => {
    await page.goto(host.url);
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('login-user').fill('city.leader');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-app-state="ready"]');
    await page.getByTestId('nav-briefing').click();
    await page.getByTestId('briefing-report').waitFor({ timeout: 120_000 });
    await page.getByTestId('briefing-week').selectOption(String(plantedWeek));
    await page.waitForSelector(`[data-testid="briefing-report"][data-week="${isoWeekLabel(plantedWeek)}"]`, {
      timeout: 60_000,
    });
    await page.getByTestId('briefing-hot-map').waitFor({ timeout: 30_000 });
    // The screenshot after the fonts are in and two frames have been painted.
    await page.evaluate(
      'document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))',
    );
    await page.screenshot({ path: artifactPath('briefing-view.png'), fullPage: true });

    // Charts: the trend line and the category bars are drawn in the accent blue; the heat grid
    // and the hexagons have many colours (a blank or failed canvas has one or two).
    const trend = await page
      .getByTestId('briefing-trend-chart')
      .screenshot({ path: artifactPath('briefing-trend.png') });
    expect(countColors(trend, { line: ACCENT }, { tol: 12 }).line).toBeGreaterThan(300);
    const bars = await page
      .getByTestId('briefing-category-chart')
      .screenshot({ path: artifactPath('briefing-categories.png') });
    expect(countColors(bars, { bar: ACCENT }, { tol: 12 }).bar).toBeGreaterThan(2_000);
    const heat = await page
      .getByTestId('briefing-heat')
      .screenshot({ path: artifactPath('briefing-heat.png') });
    expect(distinctColours(heat)).toBeGreaterThan(20);
    const hex = await page
      .getByTestId('briefing-hot-map')
      .screenshot({ path: artifactPath('briefing-hex.png') });
    expect(distinctColours(hex)).toBeGreaterThan(4);

    const rising = await page.getByTestId('briefing-rising-list').innerText();
    expect(rising).toContain('大朗镇危化品安全');
    const callIn = await page.getByTestId('briefing-callin-table').innerText();
    expect(callIn).toContain('石排镇');
    expect(callIn).toContain('凤岗镇');
    expect(await page.getByTestId('briefing-areas-table').locator('tbody tr').count()).toBeGreaterThan(20);
  });

  it('opens the cases behind a figure', async () => {
    await page.getByTestId('briefing-kpi-cases').click();
    const drill = page.getByTestId('briefing-drill');
    await drill.waitFor();
    expect(await drill.innerText()).toMatch(/事件明细/);
    // The server answers with the week's cases, the history's closed ones included (issue 18:
    // the console's cache alone held none of them and the list was empty).
    const summary = page.getByTestId('briefing-drill-summary');
    await expect.poll(() => summary.getAttribute('data-source'), { timeout: 30_000 }).toBe('server');
    expect(await summary.textContent()).toMatch(/^共 \d+ 件/);
    expect(await drill.locator('li button').count()).toBeGreaterThan(0);
    await drill.locator('li button').first().click();
    await page.getByTestId('briefing-case').waitFor();
    await page.screenshot({ path: artifactPath('briefing-drill.png') });
    await drill.getByRole('button', { name: '关闭' }).click();
    await drill.waitFor({ state: 'detached' });
  });

  it('presentation mode pages through the sections with the keyboard', async () => {
    await page.getByTestId('briefing-present').click();
    const slide = page.getByTestId('briefing-slide');
    await slide.waitFor();
    const pageNo = () => slide.getAttribute('data-page');
    expect(await pageNo()).toBe('0');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid="briefing-slide"][data-page="1"]');
    // Page 1 is the trend chart: it fills the slide and its axes are readable (issue 18).
    const chart = slide.locator('[data-testid="briefing-trend-chart"] svg.recharts-surface').first();
    const box = (await chart.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.width).toBeGreaterThan(viewport.width * 0.85);
    expect(box.height).toBeGreaterThan(viewport.height * 0.55);
    const tickSizes = await slide
      .locator('[data-testid="briefing-trend-chart"] .recharts-cartesian-axis-tick-value')
      .evaluateAll((els) =>
        els.map((e) => {
          const el = e as unknown as { getAttribute(n: string): string | null };
          const style = /font-size:\s*(\d+)/.exec(el.getAttribute('style') ?? '')?.[1];
          return Number(el.getAttribute('font-size') ?? style ?? 0);
        }),
      );
    expect(tickSizes.length).toBeGreaterThan(3);
    expect(Math.min(...tickSizes)).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: artifactPath('briefing-present-trend.png') });
    await page.keyboard.press('PageDown');
    await page.waitForSelector('[data-testid="briefing-slide"][data-page="2"]');
    // Page 2 is the rising items, in large type.
    expect(await slide.innerText()).toContain('大朗镇危化品安全');
    await page.screenshot({ path: artifactPath('briefing-present.png') });
    await page.keyboard.press('PageUp');
    await page.waitForSelector('[data-testid="briefing-slide"][data-page="1"]');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('[data-testid="briefing-slide"][data-page="0"]');
    await page.keyboard.press('Escape');
    await slide.waitFor({ state: 'detached' });
    await page.getByTestId('briefing-section-summary').waitFor();
  });

  it('exports the PDF report: Chinese headings and the top items as text, pages as images', async () => {
    const pdfFile = artifactPath('briefing-report.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
    for (const heading of [
      '每周研判报告',
      '概况',
      '周趋势',
      '上升事项',
      '分类统计',
      '时段热力',
      '区域排名',
      '约谈名单',
    ]) {
      expect(text, heading).toContain(heading);
    }
    expect(text).toContain('大朗镇危化品安全');
    expect(text).toContain('石排镇');
    expect(text).toContain(isoWeekLabel(plantedWeek));
    const pagesDir = mkdtempSync(join(tmpdir(), 'gc-briefing-pdf-'));
    execFileSync('pdftoppm', ['-png', '-r', '50', pdfFile, join(pagesDir, 'page')]);
    const pages = readdirSync(pagesDir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const [i, f] of pages.slice(0, 4).entries()) {
      const png = readFileSync(join(pagesDir, f));
      execFileSync('cp', [join(pagesDir, f), artifactPath(`briefing-pdf-page-${i + 1}.png`)]);
      expect(distinctColours(png)).toBeGreaterThan(3);
    }
    // Every page is numbered "n / N" in its bottom margin (issue 18 §9).
    for (let n = 1; n <= pages.length; n++) {
      const pageText = execFileSync(
        'pdftotext',
        ['-f', String(n), '-l', String(n), '-layout', pdfFile, '-'],
        {
          encoding: 'utf8',
        },
      );
      expect(pageText, `page ${n}`).toMatch(new RegExp(`(^|\\s)${n}\\s*/\\s*${pages.length}(\\s|$)`));
    }
    // No page but the last is near-empty (issue 18): its content reaches below 40 % of the page
    // (the bottom 8 % is left out).
    const fill = pages.map((f) => contentDepth(decodePng(readFileSync(join(pagesDir, f)))));
    expect(Math.min(...fill.slice(0, -1)), `content depth per page: ${fill.join(', ')}`).toBeGreaterThan(0.4);
    rmSync(pagesDir, { recursive: true, force: true });
  });

  it('downloads the CSV (UTF-8 with BOM) and the XLSX (a workbook with the figures)', async () => {
    // The screen shows 46,209; the files keep the plain number for spreadsheets.
    const shown = (
      await page.getByTestId('briefing-kpi-cases').locator('.briefing-kpi-value').innerText()
    ).replace(/,/g, '');
    expect(shown).toMatch(/^\d+$/);
    const [csvDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('briefing-export-csv').click(),
    ]);
    expect(csvDl.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await csvDl.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csv.toString('utf8');
    expect(csvText).toContain('# 上升事项');
    expect(csvText).toContain('大朗镇危化品安全');
    expect(csvText).toContain(`本周事件,${shown}`);
    const [xlsxDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('briefing-export-xlsx').click(),
    ]);
    expect(xlsxDl.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsx = readFileSync(await xlsxDl.path());
    expect(unzipEntry(xlsx, '[Content_Types].xml')).toContain('spreadsheetml');
    expect(unzipEntry(xlsx, 'xl/workbook.xml')).toContain('约谈名单');
    expect(unzipEntry(xlsx, 'xl/worksheets/sheet1.xml')).toContain(`<v>${shown}</v>`);
    expect(unzipEntry(xlsx, 'xl/worksheets/sheet6.xml')).toContain('石排镇');
  });
});

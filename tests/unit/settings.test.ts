// Workstation settings (issue 19) on real files: per-installation file, deployment file,
// command line and environment, in that order of precedence; bad values refused in words;
// managed keys kept out of what the screen saves; first-run detection; server choice; the
// openExternal allow-list; who may edit.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  externalAllowed,
  loadSettings,
  mayEditSettings,
  pickServer,
  saveSettings,
  settingsFromArgv,
} from '../../src-main/app/settings';

let dir: string;
let userFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gc-settings-'));
  userFile = join(dir, 'userData/settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('workstation settings', () => {
  it('is a first run with nothing saved or deployed, and defaults to zh-CN', () => {
    const loaded = loadSettings({ userFile });
    expect(loaded).toMatchObject({ firstRun: true, managed: [], problems: [], deploymentFile: null });
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('saves atomically, 0600, and reads back; a saved file is never a first run again', () => {
    const first = loadSettings({ userFile });
    const saved = saveSettings(userFile, first, {
      servers: ['https://dispatch.example.gov.cn:7420', 'http://10.1.2.3:7420'],
      caFile: 'C:\\GridConsole\\ca.pem',
      workstationName: '莞城指挥席 3',
      language: 'en',
    });
    expect(saved.ok).toBe(true);
    expect(statSync(userFile).mode & 0o777).toBe(0o600);
    const again = loadSettings({ userFile });
    expect(again.firstRun).toBe(false);
    expect(again.settings).toMatchObject({
      servers: ['https://dispatch.example.gov.cn:7420', 'http://10.1.2.3:7420'],
      caFile: 'C:\\GridConsole\\ca.pem',
      workstationName: '莞城指挥席 3',
      language: 'en',
      demo: false,
    });
    // Even saved with nothing configured, the user has been through the screen: not a first run.
    rmSync(userFile);
    saveSettings(userFile, first, { workstationName: 'x' });
    expect(loadSettings({ userFile }).firstRun).toBe(false);
  });

  it('refuses bad values with a reason and keeps the file unchanged', () => {
    const loaded = loadSettings({ userFile });
    for (const input of [
      { servers: ['ftp://x'] },
      { servers: ['https://user:pw@dispatch.example'] },
      { servers: ['https://dispatch.example/path'] },
      { servers: ['https://dispatch.example/?q=1'] },
      { language: 'fr' },
      { externalHosts: ['https://www.gov.cn'] },
      { version: 2 },
      { unknown: true },
      { servers: Array.from({ length: 9 }, (_, i) => `http://10.0.0.${i}`) },
    ]) {
      const r = saveSettings(userFile, loaded, input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
    }
    expect(() => readFileSync(userFile)).toThrow();
  });

  it('deployment file and command line win over what is saved, and are managed (not saved over)', () => {
    writeFileSync(
      join(dir, 'deploy.json'),
      JSON.stringify({ servers: ['https://a.example'], language: 'en' }),
    );
    const first = loadSettings({ userFile });
    saveSettings(userFile, first, { servers: ['https://saved.example'], workstationName: '原名' });
    const loaded = loadSettings({
      userFile,
      deploymentFiles: [join(dir, 'missing.json'), join(dir, 'deploy.json')],
      argv: ['electron', '.', '--workstation=席位 7', '--ca-file=/etc/ca.pem'],
    });
    expect(loaded.deploymentFile).toBe(join(dir, 'deploy.json'));
    expect(loaded.settings).toMatchObject({
      servers: ['https://a.example'],
      language: 'en',
      workstationName: '席位 7',
      caFile: '/etc/ca.pem',
    });
    expect(loaded.managed.sort()).toEqual(['caFile', 'language', 'servers', 'workstationName']);
    const r = saveSettings(userFile, loaded, {
      servers: ['https://evil.example'],
      externalHosts: ['www.gov.cn'],
    });
    expect(r.ok).toBe(true);
    const stored = JSON.parse(readFileSync(userFile, 'utf8')) as {
      servers: string[];
      externalHosts: string[];
    };
    expect(stored.servers).toEqual(['https://saved.example']);
    expect(stored.externalHosts).toEqual(['www.gov.cn']);
  });

  it('--settings-file and GRID_CONSOLE_SETTINGS name the deployment file; a missing one is reported', () => {
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ demo: true }));
    expect(loadSettings({ userFile, argv: [`--settings-file=${join(dir, 'x.json')}`] })).toMatchObject({
      firstRun: false,
      settings: { demo: true },
    });
    expect(
      loadSettings({ userFile, env: { GRID_CONSOLE_SETTINGS: join(dir, 'x.json') } }).settings.demo,
    ).toBe(true);
    const missing = loadSettings({ userFile, argv: [`--settings-file=${join(dir, 'nope.json')}`] });
    expect(missing.problems.join()).toMatch(/does not exist/);
    expect(missing.firstRun).toBe(true);
  });

  it('reports a broken file and bad flags, keeping the valid rest', () => {
    writeFileSync(join(dir, 'deploy.json'), '{ not json');
    const loaded = loadSettings({
      userFile,
      deploymentFiles: [join(dir, 'deploy.json')],
      argv: ['--server=notaurl', '--server=http://10.0.0.1:7420,http://10.0.0.2:7420', '--lang', '--lang=xx'],
    });
    expect(loaded.problems.length).toBeGreaterThanOrEqual(3);
    expect(loaded.settings.language).toBe('zh-CN');
    // The bad --server makes the whole list invalid: nothing half-applied.
    expect(loaded.settings.servers).toEqual([]);
    expect(settingsFromArgv(['--server=http://10.0.0.1:7420,http://10.0.0.2:7420', '--demo'])).toEqual({
      servers: ['http://10.0.0.1:7420', 'http://10.0.0.2:7420'],
      demo: true,
    });
  });

  it('picks the first server that answers, else the first (offline start)', async () => {
    const up = new Set(['http://b:1']);
    const answers = (url: string): Promise<boolean> => Promise.resolve(up.has(url));
    expect(await pickServer(['http://a:1', 'http://b:1'], answers)).toEqual({
      url: 'http://b:1',
      reachable: true,
    });
    up.clear();
    expect(await pickServer(['http://a:1', 'http://b:1'], answers)).toEqual({
      url: 'http://a:1',
      reachable: false,
    });
    expect(await pickServer([], answers)).toBeNull();
  });

  it('opens only https links on allow-listed hosts', () => {
    const hosts = ['www.gov.cn'];
    expect(externalAllowed('https://www.gov.cn/a?b=1', hosts)).toBe(true);
    expect(externalAllowed('https://WWW.GOV.CN/', hosts)).toBe(true);
    for (const url of [
      'http://www.gov.cn/',
      'https://www.gov.cn.evil.example/',
      'https://evil.example/?www.gov.cn',
      'https://www.gov.cn@evil.example/',
      'https://x:y@www.gov.cn/',
      'file:///C:/Windows/system32/calc.exe',
      'not a url',
    ])
      expect(externalAllowed(url, hosts), url).toBe(false);
    expect(externalAllowed('https://www.gov.cn/', [])).toBe(false);
  });

  it('lets anyone edit at first run, then only the admin role', () => {
    expect(mayEditSettings(true, null)).toBe(true);
    expect(mayEditSettings(false, null)).toBe(false);
    expect(mayEditSettings(false, 'dispatcher')).toBe(false);
    expect(mayEditSettings(false, 'duty_leader')).toBe(false);
    expect(mayEditSettings(false, 'admin')).toBe(true);
  });
});

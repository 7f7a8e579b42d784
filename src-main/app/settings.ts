// The workstation's settings: dispatch server address(es), the CA certificate to trust,
// the workstation's name, the language, demo mode, and the hosts links may open in the system
// browser. Stored per installation (userData/settings.json); for mass deployment the same keys
// can come from a deployment file (--settings-file, GRID_CONSOLE_SETTINGS, or a file beside the
// executable / in /etc) and from the command line. What the deployment sets wins over what is
// saved, and is shown read-only ("managed") in the settings screen. No electron here: the shell
// passes paths and argv in, the tests read and write real files.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const ServerUrl = z
  .string()
  .max(512)
  .refine((text) => {
    try {
      const u = new URL(text);
      return (
        (u.protocol === 'http:' || u.protocol === 'https:') &&
        !u.username &&
        !u.password &&
        !u.search &&
        !u.hash &&
        (u.pathname === '/' || u.pathname === '')
      );
    } catch {
      return false;
    }
  }, 'an http(s) address without path, query or credentials, e.g. https://dispatch.example.gov.cn:7420');

const HostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i);

export const LANGUAGES = ['zh-CN', 'en'] as const;

export const Settings = z.strictObject({
  version: z.literal(1),
  /** Dispatch servers in order of preference; the first that answers is used. */
  servers: z.array(ServerUrl).max(8),
  /** A PEM file with the CA certificate(s) to trust for https servers (a path on this PC). */
  caFile: z.string().min(1).max(1024).nullable(),
  workstationName: z.string().max(64),
  language: z.enum(LANGUAGES),
  /** Run the embedded demo server (src-server + demo dataset + simulator) inside the app. */
  demo: z.boolean(),
  /** Hosts that links may open in the system browser (https only); nothing else is opened. */
  externalHosts: z.array(HostName).max(32),
});
export type Settings = z.infer<typeof Settings>;
export type SettingKey = Exclude<keyof Settings, 'version'>;

/** What may be saved from the settings screen (no version, every key optional). */
export const SettingsInput = Settings.omit({ version: true }).partial().strict();
export type SettingsInput = z.infer<typeof SettingsInput>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  servers: [],
  caFile: null,
  workstationName: '',
  language: 'zh-CN',
  demo: false,
  externalHosts: [],
};

export interface SettingsSources {
  /** The per-installation file the settings screen writes (userData/settings.json). */
  userFile: string;
  /** Deployment files to look for, in order; the first that exists is read. */
  deploymentFiles?: readonly string[];
  /** The command line (process.argv). */
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadedSettings {
  settings: Settings;
  /** Keys set by the deployment file or the command line: read-only in the settings screen. */
  managed: SettingKey[];
  /** The deployment file that was read, if any. */
  deploymentFile: string | null;
  /** Nothing saved and nothing deployed: the app opens the settings screen first. */
  firstRun: boolean;
  /** Files or flags that were refused, in words (shown in the settings screen and logged). */
  problems: string[];
}

type Partial1 = Partial<Omit<Settings, 'version'>>;

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file}: ${(e as Error).message}`);
    return null;
  }
}

/** The valid keys of a settings object; invalid ones are reported and left out. */
function validKeys(value: unknown, where: string, problems: string[]): Partial1 {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (value !== null) problems.push(`${where}: not a JSON object`);
    return {};
  }
  const out: Record<string, unknown> = {};
  const shape = Settings.shape;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'version') continue;
    if (!Object.prototype.hasOwnProperty.call(shape, key)) {
      problems.push(`${where}: unknown setting "${key}"`);
      continue;
    }
    const parsed = shape[key as SettingKey].safeParse(v);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${where}: ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return out;
}

/** Flags: --server=URL (repeatable), --ca-file=PATH, --workstation=NAME, --lang=zh-CN|en, --demo, --no-demo. */
export function settingsFromArgv(argv: readonly string[], problems: string[] = []): Partial1 {
  const raw: Record<string, unknown> = {};
  const servers: string[] = [];
  for (const arg of argv) {
    const m = /^--(server|ca-file|workstation|lang|demo|no-demo)(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const [, flag, value] = m;
    if (flag === 'demo' || flag === 'no-demo') {
      raw.demo = flag === 'demo';
      continue;
    }
    if (value === undefined) {
      problems.push(`command line: --${flag} needs a value (--${flag}=…)`);
      continue;
    }
    if (flag === 'server') servers.push(...value.split(',').filter(Boolean));
    else if (flag === 'ca-file') raw.caFile = value;
    else if (flag === 'workstation') raw.workstationName = value;
    else raw.language = value;
  }
  if (servers.length > 0) raw.servers = servers;
  return validKeys(raw, 'command line', problems);
}

function argValue(argv: readonly string[], flag: string): string | null {
  for (const arg of argv) if (arg.startsWith(`--${flag}=`)) return arg.slice(flag.length + 3);
  return null;
}

export function loadSettings(sources: SettingsSources): LoadedSettings {
  const argv = sources.argv ?? [];
  const env = sources.env ?? {};
  const problems: string[] = [];
  const saved = existsSync(sources.userFile)
    ? validKeys(readJson(sources.userFile, problems), sources.userFile, problems)
    : null;

  const explicit = argValue(argv, 'settings-file') ?? env.GRID_CONSOLE_SETTINGS ?? null;
  const candidates = explicit ? [explicit] : (sources.deploymentFiles ?? []);
  let deploymentFile: string | null = null;
  let deployed: Partial1 = {};
  for (const file of candidates) {
    if (!existsSync(file)) {
      if (file === explicit) problems.push(`${file}: the deployment settings file does not exist`);
      continue;
    }
    deploymentFile = file;
    deployed = validKeys(readJson(file, problems), file, problems);
    break;
  }
  const fromEnv: Partial1 = env.GRID_CONSOLE_SERVER_URL
    ? validKeys({ servers: [env.GRID_CONSOLE_SERVER_URL] }, 'GRID_CONSOLE_SERVER_URL', problems)
    : {};
  const fromArgv = settingsFromArgv(argv, problems);
  const managedValues = { ...deployed, ...fromEnv, ...fromArgv };
  const settings: Settings = { ...DEFAULT_SETTINGS, ...(saved ?? {}), ...managedValues };
  const managed = Object.keys(managedValues) as SettingKey[];
  const configured = settings.servers.length > 0 || settings.demo;
  return {
    settings,
    managed,
    deploymentFile,
    firstRun: saved === null && !configured,
    problems,
  };
}

/**
 * Saves what the settings screen sent, minus the keys the deployment manages (those cannot be
 * changed here). Atomic (tmp + rename), readable by this user only. Returns the saved settings.
 */
export function saveSettings(
  userFile: string,
  current: LoadedSettings,
  input: unknown,
): { ok: true; settings: Settings } | { ok: false; message: string } {
  const parsed = SettingsInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  const previous = existsSync(userFile) ? validKeys(readJson(userFile, []), userFile, []) : ({} as Partial1);
  const changes: Partial1 = {};
  for (const [key, value] of Object.entries(parsed.data) as [SettingKey, never][]) {
    if (!current.managed.includes(key)) changes[key] = value;
  }
  const stored: Settings = { ...DEFAULT_SETTINGS, ...previous, ...changes, version: 1 };
  mkdirSync(dirname(userFile), { recursive: true });
  writeFileSync(`${userFile}.tmp`, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${userFile}.tmp`, userFile);
  return { ok: true, settings: stored };
}

/**
 * The server to connect to: the first of the list whose health check answers, else the first
 * (the console then starts offline from its cache and keeps retrying). null: none configured.
 */
export async function pickServer(
  servers: readonly string[],
  answers: (url: string) => Promise<boolean>,
): Promise<{ url: string; reachable: boolean } | null> {
  if (servers.length === 0) return null;
  for (const url of servers) if (await answers(url)) return { url, reachable: true };
  return { url: servers[0], reachable: false };
}

/** Links the app may hand to the system browser: https on an allow-listed host, nothing else. */
export function externalAllowed(url: string, hosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  const host = u.hostname.toLowerCase();
  return hosts.some((h) => h.toLowerCase() === host);
}

/** Who may change the settings: anyone before the first configuration, later the admin role only. */
export function mayEditSettings(firstRun: boolean, role: string | null): boolean {
  return firstRun || role === 'admin';
}

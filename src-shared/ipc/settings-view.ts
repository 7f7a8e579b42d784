// The workstation settings as the settings screen sees them. The main side owns the
// rules (src-main/app/settings.ts); this is only the shape that crosses the bridge.
export interface WorkstationSettings {
  servers: string[];
  caFile: string | null;
  workstationName: string;
  language: 'zh-CN' | 'en';
  demo: boolean;
  externalHosts: string[];
}

export interface SettingsView {
  settings: WorkstationSettings;
  /** Keys the deployment (file or command line) sets: read-only here. */
  managed: string[];
  deploymentFile: string | null;
  /** Nothing configured yet: this screen is the first thing the app shows. */
  firstRun: boolean;
  /** First run, or the logged-in seat has the admin role. */
  canEdit: boolean;
  /** Settings the app refused (bad file, bad flag), in words. */
  problems: string[];
  /** How the session key is kept at rest; secure=false for a plain file or Linux basic_text. */
  keyStorage: { kind: string; secure: boolean; note: string | null };
  server: {
    url: string | null;
    reachable: boolean | null;
    demo: 'off' | 'starting' | 'running' | 'failed';
    error: string | null;
  };
}

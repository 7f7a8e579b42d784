// The Electron entry: paths of the built app handed to the shell (shell.ts holds the logic and
// is what the tests drive with a faked electron).
import { app } from 'electron';
import { dirname, join } from 'node:path';
import { startShell } from './shell';

const here = import.meta.dirname;

startShell({
  preload: join(here, '../preload/index.cjs'),
  rendererDir: join(here, '../renderer'),
  workerFile: join(here, 'data-worker.js'),
  demoEntry: join(here, 'demo-server.js'),
  demoResources: app.isPackaged ? join(process.resourcesPath, 'demo') : join(here, '../../resources/demo'),
  // Mass deployment: a settings file beside the executable, else the machine-wide one.
  deploymentFiles: [
    join(dirname(app.getPath('exe')), 'grid-console.settings.json'),
    ...(process.platform === 'win32'
      ? [join(process.env.ProgramData ?? 'C:\\ProgramData', 'GridConsole', 'settings.json')]
      : ['/etc/grid-console/settings.json']),
  ],
  argv: process.argv,
  env: process.env,
});

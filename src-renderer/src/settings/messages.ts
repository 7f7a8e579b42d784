// UI text of the workstation settings, first run and the unreachable-server screen.
// zh-CN is the default; every key must exist in both.
export const settingsZh = {
  'settings.title': '工作站设置',
  'settings.firstRun.title': '首次启动：设置本工作站',
  'settings.firstRun.intro':
    '本机尚未配置调度服务器。请填写调度服务器地址（由信息中心提供），或先用内置的演示服务器体验。',
  'settings.firstRun.demo': '启动演示模式',
  'settings.firstRun.demoHint': '在本机运行演示服务器（东莞示例数据与模拟外勤），数据保存在本机用户目录。',
  'settings.servers': '调度服务器地址（每行一个，按优先顺序）',
  'settings.caFile': '信任的 CA 证书文件（PEM，https 服务器用）',
  'settings.workstationName': '工作站名称',
  'settings.language': '界面语言',
  'settings.demo': '使用内置演示服务器',
  'settings.externalHosts': '允许用系统浏览器打开的网站（每行一个域名，仅 https）',
  'settings.managed': '由部署配置管理',
  'settings.deployment': '部署配置文件：{file}',
  'settings.save': '保存',
  'settings.saving': '正在保存…',
  'settings.saved': '已保存。',
  'settings.readOnly': '只有管理员角色可以修改本工作站的设置。',
  'settings.unavailable': '设置属于桌面应用；浏览器模式由 `npm start` 的环境变量配置。',
  'settings.problems': '以下设置无效，已忽略：',
  'settings.key.secure': '会话密钥由操作系统钥匙串保护（{kind}）。',
  'settings.key.insecure': '会话密钥未受操作系统钥匙串保护：{note}',
  'settings.server.none': '尚未连接服务器。',
  'settings.server.ok': '已连接：{url}',
  'settings.server.down': '无法连接：{url}',
  'settings.server.demoStarting': '演示服务器正在启动（首次需生成演示数据，约 15–60 秒）…',
  'settings.server.demoRunning': '演示服务器运行中：{url}',
  'settings.server.demoFailed': '演示服务器启动失败：{error}',
  'settings.open': '设置',
  'unreachable.title': '无法连接调度服务器',
  'unreachable.body':
    '{url} 没有响应。已在本机登录过的坐席会从本地缓存离线启动，操作会排队，连上后自动发送；本机尚无缓存的坐席需要连上服务器登录一次。',
  'unreachable.admin':
    '如需更换服务器：管理员登录后打开“设置”，或由信息中心用部署配置文件 / --server= 参数下发。',
  'unreachable.retry': '重试',
} as const;

export const settingsEn: Record<keyof typeof settingsZh, string> = {
  'settings.title': 'Workstation settings',
  'settings.firstRun.title': 'First start: set up this workstation',
  'settings.firstRun.intro':
    'No dispatch server is configured on this PC. Enter the dispatch server address (from your IT department), or try the built-in demo server first.',
  'settings.firstRun.demo': 'Start demo mode',
  'settings.firstRun.demoHint':
    'Runs the demo server on this PC (Dongguan sample data and simulated field staff), with its data in your user folder.',
  'settings.servers': 'Dispatch server addresses (one per line, in order of preference)',
  'settings.caFile': 'CA certificate file to trust (PEM, for https servers)',
  'settings.workstationName': 'Workstation name',
  'settings.language': 'Language',
  'settings.demo': 'Use the built-in demo server',
  'settings.externalHosts': 'Sites links may open in the system browser (one host per line, https only)',
  'settings.managed': 'Managed by the deployment',
  'settings.deployment': 'Deployment settings file: {file}',
  'settings.save': 'Save',
  'settings.saving': 'Saving…',
  'settings.saved': 'Saved.',
  'settings.readOnly': 'Only the admin role may change the settings of this workstation.',
  'settings.unavailable':
    'Settings belong to the desktop app; browser mode is configured by the environment of `npm start`.',
  'settings.problems': 'These settings are invalid and were ignored:',
  'settings.key.secure': 'The session key is protected by the OS keychain ({kind}).',
  'settings.key.insecure': 'The session key is NOT protected by an OS keychain: {note}',
  'settings.server.none': 'Not connected to a server yet.',
  'settings.server.ok': 'Connected: {url}',
  'settings.server.down': 'Cannot reach: {url}',
  'settings.server.demoStarting':
    'The demo server is starting (the first start generates the demo data: 15–60 s)…',
  'settings.server.demoRunning': 'Demo server running: {url}',
  'settings.server.demoFailed': 'The demo server failed to start: {error}',
  'settings.open': 'Settings',
  'unreachable.title': 'The dispatch server cannot be reached',
  'unreachable.body':
    '{url} does not answer. Seats that have logged in on this PC start offline from the local cache; their actions queue and are sent once connected. A seat with no cache here must log in once while the server is reachable.',
  'unreachable.admin':
    'To change the server: an admin logs in and opens Settings, or IT deploys a settings file / --server= flag.',
  'unreachable.retry': 'Retry',
};

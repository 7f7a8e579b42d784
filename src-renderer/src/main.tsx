import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './shell/App';
import { SettingsApp, isSettingsWindow } from './settings/SettingsView';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(<StrictMode>{isSettingsWindow() ? <SettingsApp /> : <App />}</StrictMode>);

import { createRoot } from 'react-dom/client';
import { FieldApp } from './FieldApp.tsx';
import './field.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<FieldApp />);

// The service worker keeps the app shell, so the installed app opens with no network (a built app only:
// the dev server's modules are not worth keeping).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('/field-sw.js', { scope: '/field' })
    .catch((err: unknown) => console.warn('howl: the offline app could not be installed', err));
}

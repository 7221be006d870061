import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './console.css';

// No StrictMode: its double effects in development would post a single-use login code twice.
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);

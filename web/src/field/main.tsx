import { createRoot } from 'react-dom/client';
import { FieldApp } from './FieldApp.tsx';
import './field.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<FieldApp />);

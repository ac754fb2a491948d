// The floor for bench/browser.ts: the least a React page can be (React, its DOM renderer, one heading).
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(createElement('h1', null, 'NovaPulse Console'));

import '@testing-library/jest-dom/vitest';
import { options } from 'preact';

// Preact runs effects after the next frame, falling back to a 35 ms timer where there are no frames, as in jsdom: a
// chain of effects (the key read, then the dialog) took 35 ms a step and outran Testing Library's waits on a loaded
// machine. Here they run on the next task, as React's do and as a browser's do within a frame.
options.requestAnimationFrame = (callback) => setTimeout(callback, 0);

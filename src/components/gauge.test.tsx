// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { Gauge, gaugeTone } from './gauge';

describe('gaugeTone', () => {
  it('is calm with room, neutral when filling up or full, and red only for a refusal', () => {
    expect(gaugeTone(1, 5)).toBe('room');
    expect(gaugeTone(4, 5)).toBe('busy');
    expect(gaugeTone(5, 5)).toBe('busy');
    expect(gaugeTone(120, 120)).toBe('busy');
    expect(gaugeTone(120, 120, { refused: true })).toBe('refused');
    expect(gaugeTone(3, 120, { refused: true })).toBe('refused');
  });
});

describe('Gauge', () => {
  it('a full concurrency gauge (5 of 5) is a named meter in a neutral colour, not red', () => {
    render(<Gauge label="Concurrent jobs" value={5} max={5} valueText="5 of 5 jobs" detail="Jobs queued or processing." />);
    const meter = screen.getByRole('meter', { name: 'Concurrent jobs' });
    expect(meter).toHaveAttribute('aria-valuetext', '5 of 5 jobs');
    expect(meter).toHaveAccessibleDescription('Jobs queued or processing.');
    expect(meter).toHaveAttribute('data-tone', 'busy');
    const value = screen.getByText('5 of 5 jobs');
    expect(value.className).not.toMatch(/text-red-/);
    expect(value).toHaveClass('text-slate-900');
  });

  it('turns red when its caller reports a refusal in force (a rate-limit 429)', () => {
    render(<Gauge label="Requests this minute" value={120} max={120} valueText="120 of 120 used" refused />);
    expect(screen.getByRole('meter', { name: 'Requests this minute' })).toHaveAttribute('data-tone', 'refused');
    expect(screen.getByText('120 of 120 used')).toHaveClass('text-red-700');
  });
});

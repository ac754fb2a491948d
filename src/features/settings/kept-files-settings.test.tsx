// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KeptFilesSettings, type KeptFilesSource } from './kept-files-settings';

afterEach(cleanup);

function fakeKeptFiles(count: number, bytes: number) {
  const state = { count, bytes };
  const source: KeptFilesSource = {
    summary: async () => ({ ...state, capBytes: 2 * 1024 ** 3 }),
    clear: vi.fn(async () => {
      state.count = 0;
      state.bytes = 0;
    }),
  };
  return source;
}

describe('Settings: kept files', () => {
  it('shows how many files are kept, the space they take and the 2 GB cap', async () => {
    render(<KeptFilesSettings keptFiles={fakeKeptFiles(3, 5 * 1024 * 1024)} />);
    const panel = screen.getByRole('region', { name: 'Kept files' });
    expect(await within(panel).findByText('5.0 MB of 2.0 GB')).toBeVisible();
    expect(within(panel).getByText('Files kept').nextElementSibling).toHaveTextContent('3');
  });

  it('clears only after the person confirms, then shows nothing kept', async () => {
    const user = userEvent.setup();
    const source = fakeKeptFiles(2, 1_536);
    render(<KeptFilesSettings keptFiles={source} />);
    await screen.findByText('1.5 KB of 2.0 GB');

    await user.click(screen.getByRole('button', { name: 'Clear kept files' }));
    const confirm = screen.getByRole('group', { name: /Delete the 2 files kept in this browser \(1\.5 KB\)\?/ });
    expect(source.clear).not.toHaveBeenCalled();
    expect(within(confirm).getByRole('button', { name: 'Yes, clear kept files' })).toHaveFocus();

    await user.click(within(confirm).getByRole('button', { name: 'Keep them' }));
    expect(source.clear).not.toHaveBeenCalled();
    expect(screen.getByText('1.5 KB of 2.0 GB')).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Clear kept files' }));
    await user.click(screen.getByRole('button', { name: 'Yes, clear kept files' }));
    expect(source.clear).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('0 B of 2.0 GB')).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent('Cleared 2 files (1.5 KB).');
    expect(screen.getByRole('button', { name: 'Clear kept files' })).toBeDisabled();
  });

  it('nothing kept: the clear button is disabled', async () => {
    render(<KeptFilesSettings keptFiles={fakeKeptFiles(0, 0)} />);
    expect(await screen.findByText('0 B of 2.0 GB')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Clear kept files' })).toBeDisabled();
  });

  it('a store that cannot be read says so instead of showing numbers', async () => {
    render(<KeptFilesSettings keptFiles={{ summary: () => Promise.reject(new Error('the database is gone')), clear: async () => {} }} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The kept files could not be read (the database is gone).');
    expect(screen.queryByText(/of 2\.0 GB/)).toBeNull();
  });
});

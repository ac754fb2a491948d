// @vitest-environment jsdom
import { AdvanceTime, OpenPage, PickAndUpload, runJourney, setupModelHarness } from '../testing/model-journeys';

/**
 * Counterexamples the model-based journeys (journeys.model.test.tsx) found,
 * replayed exactly, one plain test each.
 */

const setup = setupModelHarness();

describe('journeys the model found broken, replayed', { timeout: 180_000 }, () => {
  it('signed in on the Overview, then a batch larger than the free slots: no uncaught error, every file one job (issue 13, first finding)', async () => {
    // Before typed query keys the Overview's 24-hour panel sat under the job-list prefix: every poll threw
    // "Cannot read properties of undefined (reading 'map')" and take-3 and take-4 waited "for a free slot" for good.
    expect(await runJourney(setup, [new AdvanceTime(3_000), new PickAndUpload(4, false, false), new AdvanceTime(30_000), new OpenPage('Overview')])).toEqual([]);
  });
});

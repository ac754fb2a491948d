// @vitest-environment jsdom
import { AdvanceTime, Fault, OpenPage, PickAndUpload, RerunFromJobPage, RerunFromRow, RerunGroup, RerunSelection, runJourney, setupModelHarness } from '../testing/model-journeys';

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

  it('a failed job re-run from its page is not re-run again from its row on Failed jobs a minute later (issue 13, re-run ledger)', async () => {
    // Before the ledger the row offered the re-run again and a second full-analysis job was made.
    const problems = await runJourney(setup, [
      new Fault('processing-failures', 0),
      new PickAndUpload(1, false, false),
      new AdvanceTime(25_000),
      new RerunFromJobPage(0),
      new AdvanceTime(60_000),
      new RerunFromRow(0),
    ]);
    expect(problems).toEqual([]);
  });

  it('a selection re-run, then grown by one and re-run again, and then the whole group: each failed job one re-run', async () => {
    const problems = await runJourney(setup, [
      new Fault('processing-failures', 2),
      new PickAndUpload(3, false, false),
      new AdvanceTime(40_000),
      new RerunSelection(0b01),
      new RerunSelection(0b11),
      new AdvanceTime(5_000),
      new RerunGroup(),
    ]);
    expect(problems).toEqual([]);
  });
});

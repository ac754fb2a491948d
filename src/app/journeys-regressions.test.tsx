// @vitest-environment jsdom
import {
  AdvanceTime,
  CancelUpload,
  Fault,
  OpenJobPage,
  OpenPage,
  PickAndUpload,
  ReleaseStalls,
  RerunFromJobPage,
  RerunFromRow,
  RerunGroup,
  RerunSelection,
  RetryNow,
  runJourney,
  setupModelHarness,
} from '../testing/model-journeys';

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

  it('two files with the same bytes in one batch: the copy does not wait "Already submitted" for good once the window has ended (issue 13, held duplicates)', async () => {
    // Before the fix the copy stayed "Already submitted … The window has ended" beside "Submit when the window ends" and the queue never drained.
    expect(await runJourney(setup, [new PickAndUpload(1, true, false)])).toEqual([]);
  });

  it('an upload cancelled while its answer is on its way, then "Retry now" after the duplicate window: still one job (issue 13, cancel means may have landed)', async () => {
    const problems = await runJourney(setup, [
      // The next upload's connection stalls after its body went out; the person cancels it while it hangs.
      new Fault('stall', 0),
      new PickAndUpload(1, false, false),
      new AdvanceTime(1_000),
      new CancelUpload(0),
      // NovaPulse had it and makes the job; past its 60 s duplicate window the person asks for the file again.
      new ReleaseStalls('answer'),
      new AdvanceTime(40_000),
      new AdvanceTime(30_000),
      new RetryNow(0),
    ]);
    // Before the fix: "take-1.wav: 2 jobs for one intent".
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

  it("re-run one job from its page, then open another job's page: its re-run button is not left disabled by the first one's", async () => {
    // Before keying the job page by its id, the page kept its state across jobs: the first job's "queued" left the
    // second job's "Re-run with full analysis" disabled for good (test:model, seed 1313, sequence 381).
    const problems = await runJourney(setup, [
      new OpenJobPage(11),
      new PickAndUpload(2, true, false),
      new AdvanceTime(34_000),
      new RerunFromJobPage(3),
      new RerunFromJobPage(0),
    ]);
    expect(problems).toEqual([]);
  });
});

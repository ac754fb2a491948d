import { z } from 'zod';
import { JOB_STATUSES, PIPELINES } from '../../api/schemas';

/** The job list's filters, kept in the URL so a view can be shared and reloaded. */
export const jobsSearchSchema = z.object({
  status: z.enum(JOB_STATUSES).optional().catch(undefined),
  pipeline: z.enum(PIPELINES).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
});

export type JobsSearch = z.infer<typeof jobsSearchSchema>;

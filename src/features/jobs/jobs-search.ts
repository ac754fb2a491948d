import { z } from 'zod/mini';
import { JOB_STATUSES, PIPELINES } from '../../api/schemas';

/** The job list's filters, kept in the URL so a view can be shared and reloaded; a bad value is dropped, not an error. */
export const jobsSearchSchema = z.object({
  status: z.catch(z.optional(z.enum(JOB_STATUSES)), undefined),
  pipeline: z.catch(z.optional(z.enum(PIPELINES)), undefined),
  q: z.catch(z.optional(z.string().check(z.maxLength(200))), undefined),
});

export type JobsSearch = z.infer<typeof jobsSearchSchema>;

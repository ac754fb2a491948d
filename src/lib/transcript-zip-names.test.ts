import { describe, expect, it } from 'vitest';
import { transcriptZipName, uniqueNames, zipEntryName } from './transcript-zip-names';

describe('names inside a transcript zip', () => {
  it('is the file stem, the job ID and the format', () => {
    expect(zipEntryName('call-0412.mp3', 'job_01JD7Q3M8K', 'srt')).toBe('call-0412-job_01JD7Q3M8K.srt');
    expect(zipEntryName('call.final.wav', 'job_01JD7Q3M8K', 'json')).toBe('call.final-job_01JD7Q3M8K.json');
    expect(zipEntryName('notes', 'job_A', 'txt')).toBe('notes-job_A.txt');
  });

  it('gives two jobs of the same file two names', () => {
    const first = zipEntryName('call-0412.mp3', 'job_01AAAAAAAA', 'vtt');
    const second = zipEntryName('call-0412.mp3', 'job_01BBBBBBBB', 'vtt');
    expect([first, second]).toEqual(['call-0412-job_01AAAAAAAA.vtt', 'call-0412-job_01BBBBBBBB.vtt']);
  });

  it('never lets a name climb out of the folder or use what Windows refuses', () => {
    expect(zipEntryName('../../etc/passwd.mp3', 'job_1', 'txt')).toBe('passwd-job_1.txt');
    expect(zipEntryName('a<b>c:d"e|f?g*h.mp3', 'job_1', 'txt')).toBe('a_b_c_d_e_f_g_h-job_1.txt');
    expect(zipEntryName('tab\there\u0001.mp3', 'job_1', 'txt')).toBe('tab_here_-job_1.txt');
    expect(zipEntryName('...hidden .mp3', 'job_1', 'txt')).toBe('hidden-job_1.txt');
    expect(zipEntryName('call.mp3', '../job', 'txt')).toBe('call-_job.txt');
  });

  it('names a file with nothing usable "transcript", and cuts a very long stem at 80 characters, never inside a character', () => {
    expect(zipEntryName('', 'job_1', 'srt')).toBe('transcript-job_1.srt');
    expect(zipEntryName('....mp3', 'job_1', 'srt')).toBe('transcript-job_1.srt');
    expect(zipEntryName(`${'a'.repeat(200)}.mp3`, 'job_1', 'srt')).toBe(`${'a'.repeat(80)}-job_1.srt`);
    expect(zipEntryName(`${'é'.repeat(79)}😀😀.mp3`, 'job_1', 'srt')).toBe(`${'é'.repeat(79)}😀-job_1.srt`);
  });

  it('makes names unique without regard to case, numbering later copies before the extension', () => {
    expect(uniqueNames(['a-job_1.srt', 'A-JOB_1.srt', 'b.srt', 'a-job_1.srt', 'noext', 'noext'])).toEqual([
      'a-job_1.srt',
      'A-JOB_1 (2).srt',
      'b.srt',
      'a-job_1 (3).srt',
      'noext',
      'noext (2)',
    ]);
  });

  it('names the zip by format and UTC time, with no colon', () => {
    expect(transcriptZipName('srt', Date.UTC(2026, 11, 2, 6, 35, 41, 123))).toBe('novapulse-transcripts-srt-2026-12-02T06-35-41Z.zip');
  });
});

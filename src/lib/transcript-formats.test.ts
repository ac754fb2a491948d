import { describe, expect, it } from 'vitest';
import {
  formatTranscript,
  srtTimestamp,
  transcriptFileName,
  transcriptToJson,
  transcriptToSrt,
  transcriptToTxt,
  transcriptToVtt,
  vttTimestamp,
} from './transcript-formats';

const transcript = {
  text: 'Hello, thanks for calling. I have a billing question.',
  segments: [
    { start: 0, end: 4.2, speaker: 'A', text: 'Hello, thanks for calling.' },
    { start: 4.2, end: 7.05, speaker: 'B', text: 'I have a billing question.' },
  ],
};

describe('timestamps', () => {
  it('writes SRT with a comma and VTT with a full stop before the milliseconds', () => {
    expect(srtTimestamp(4.2)).toBe('00:00:04,200');
    expect(vttTimestamp(4.2)).toBe('00:00:04.200');
  });

  it('rounds to the nearest millisecond once, carrying into seconds, minutes and hours', () => {
    expect(srtTimestamp(1.2344)).toBe('00:00:01,234');
    expect(srtTimestamp(1.2346)).toBe('00:00:01,235');
    expect(srtTimestamp(59.9996)).toBe('00:01:00,000');
    expect(vttTimestamp(3599.9999)).toBe('01:00:00.000');
    expect(vttTimestamp(0.0004)).toBe('00:00:00.000');
  });

  it('writes hours past one, and past 99, in full', () => {
    expect(srtTimestamp(3723.5)).toBe('01:02:03,500');
    expect(vttTimestamp(2 * 3600 + 5 * 60 + 9.07)).toBe('02:05:09.070');
    expect(srtTimestamp(100 * 3600 + 1)).toBe('100:00:01,000');
  });

  it('never writes a negative or non-numeric time', () => {
    expect(srtTimestamp(-1)).toBe('00:00:00,000');
    expect(vttTimestamp(Number.NaN)).toBe('00:00:00.000');
  });
});

describe('SRT (cues numbered from 1, a blank line between cues)', () => {
  it('writes one cue per segment with its start, end and speaker', () => {
    expect(transcriptToSrt(transcript)).toBe(
      '1\n00:00:00,000 --> 00:00:04,200\nSpeaker A: Hello, thanks for calling.\n\n2\n00:00:04,200 --> 00:00:07,050\nSpeaker B: I have a billing question.\n',
    );
  });

  it('leaves out the label of a segment without a speaker and drops blank lines that would end the cue early', () => {
    const srt = transcriptToSrt({ text: '', segments: [{ start: 61.25, end: 3662.001, speaker: null, text: 'one\n\ntwo' }] });
    expect(srt).toBe('1\n00:01:01,250 --> 01:01:02,001\none\ntwo\n');
  });

  it('writes nothing for a transcript without segments', () => {
    expect(transcriptToSrt({ text: '', segments: [] })).toBe('');
  });
});

describe('cue times and arrows in both formats', () => {
  const muddled = {
    text: '',
    segments: [
      { start: 5, end: 6.5, speaker: 'B', text: 'second' },
      { start: 2, end: 1.5, speaker: 'A', text: 'ends before it starts' },
      { start: 7, end: 7, speaker: null, text: 'no length' },
    ],
  };

  it('SRT: cues in order of their start, and never an end before (or at) the start', () => {
    expect(transcriptToSrt(muddled)).toBe(
      '1\n00:00:02,000 --> 00:00:02,001\nSpeaker A: ends before it starts\n\n2\n00:00:05,000 --> 00:00:06,500\nSpeaker B: second\n\n3\n00:00:07,000 --> 00:00:07,001\nno length\n',
    );
  });

  it('WebVTT: likewise, as its cue timings require (each end after its start, starts in order)', () => {
    expect(transcriptToVtt(muddled)).toBe(
      'WEBVTT\n\n00:00:02.000 --> 00:00:02.001\n<v Speaker A>ends before it starts\n\n00:00:05.000 --> 00:00:06.500\n<v Speaker B>second\n\n00:00:07.000 --> 00:00:07.001\nno length\n',
    );
  });

  it('SRT: text with an arrow never reads as a timing line (a line with --> is one to SRT readers)', () => {
    const srt = transcriptToSrt({ text: '', segments: [{ start: 1, end: 2, speaker: null, text: '2\n00:00:09,000 --> 00:00:10,000\nsee A ---> B' }] });
    expect(srt).toBe('1\n00:00:01,000 --> 00:00:02,000\n2\n00:00:09,000 → 00:00:10,000\nsee A → B\n');
    expect(srt.split('\n').filter((line) => line.includes('-->'))).toEqual(['00:00:01,000 --> 00:00:02,000']);
  });

  it('WebVTT: cue text never holds -->, which its syntax forbids there; > is written as &gt;', () => {
    const vtt = transcriptToVtt({ text: '', segments: [{ start: 1, end: 2, speaker: 'A-->B', text: 'step 1 --> step 2' }] });
    expect(vtt).toBe('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Speaker A--&gt;B>step 1 --&gt; step 2\n');
  });
});

describe('WebVTT', () => {
  it('starts with WEBVTT and writes one cue per segment with a voice span', () => {
    expect(transcriptToVtt(transcript)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:04.200\n<v Speaker A>Hello, thanks for calling.\n\n00:00:04.200 --> 00:00:07.050\n<v Speaker B>I have a billing question.\n',
    );
  });

  it('escapes text that would read as markup, in the text and the speaker', () => {
    const vtt = transcriptToVtt({ text: '', segments: [{ start: 1, end: 2, speaker: 'A>B', text: 'a <b> & c' }] });
    expect(vtt).toBe('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Speaker A&gt;B>a &lt;b&gt; &amp; c\n');
  });

  it('is only the header without segments', () => {
    expect(transcriptToVtt({ text: '', segments: [] })).toBe('WEBVTT\n');
  });
});

describe('TXT and JSON', () => {
  it('writes a line per segment with its speaker', () => {
    expect(transcriptToTxt(transcript)).toBe('Speaker A: Hello, thanks for calling.\nSpeaker B: I have a billing question.\n');
  });

  it('falls back to the full text when there are no segments', () => {
    expect(transcriptToTxt({ text: 'Just text.', segments: [] })).toBe('Just text.\n');
  });

  it('writes the transcript as it came, and reads back equal', () => {
    expect(JSON.parse(transcriptToJson(transcript))).toEqual(transcript);
    expect(formatTranscript(transcript, 'json')).toBe(transcriptToJson(transcript));
    expect(formatTranscript(transcript, 'srt')).toBe(transcriptToSrt(transcript));
    expect(formatTranscript(transcript, 'vtt')).toBe(transcriptToVtt(transcript));
    expect(formatTranscript(transcript, 'txt')).toBe(transcriptToTxt(transcript));
  });
});

describe('file names', () => {
  it("takes the job's file name with the format's extension", () => {
    expect(transcriptFileName('call-0412.wav', 'srt')).toBe('call-0412.srt');
    expect(transcriptFileName('call.final.mp3', 'vtt')).toBe('call.final.vtt');
    expect(transcriptFileName('notes', 'txt')).toBe('notes.txt');
    expect(transcriptFileName('.hidden', 'json')).toBe('.hidden.json');
    expect(transcriptFileName('dir/sub\\x.flac', 'srt')).toBe('x.srt');
    expect(transcriptFileName('', 'srt')).toBe('transcript.srt');
  });
});

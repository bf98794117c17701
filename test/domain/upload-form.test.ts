import { describe, expect, it } from 'vitest';
import { validateUploadForm } from '../../src/domain/upload-form.js';

describe('the upload form', () => {
  it('wants exactly one source', () => {
    expect(validateUploadForm({ hasFile: false, pasted: '', runId: undefined })).toEqual({
      field: 'file',
      message: 'Attach a run file, or paste one below.',
    });
    expect(validateUploadForm({ hasFile: true, pasted: '{}', runId: undefined })?.field).toBe('paste');
    expect(validateUploadForm({ hasFile: true, pasted: '', runId: undefined })).toBeNull();
    expect(validateUploadForm({ hasFile: false, pasted: '{}', runId: undefined })).toBeNull();
  });

  it('takes the run ids the parser takes', () => {
    expect(validateUploadForm({ hasFile: true, pasted: '', runId: 'run-2026.11:a_b' })).toBeNull();
    expect(validateUploadForm({ hasFile: true, pasted: '', runId: 'has space' })?.field).toBe('run_id');
    expect(validateUploadForm({ hasFile: true, pasted: '', runId: 'x'.repeat(101) })?.field).toBe('run_id');
  });
});

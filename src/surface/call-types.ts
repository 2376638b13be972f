// LiteLLM's `call_type` and endpoint path per surface route, for spend logs and logging callbacks.

export const SURFACE_CALL_TYPES: Readonly<Record<string, string>> = {
  image_generation: 'aimage_generation', image_edit: 'aimage_edit', audio_speech: 'aspeech', audio_transcription: 'atranscription',
  audio_translation: 'atranscription', moderation: 'amoderation', rerank: 'arerank', file_upload: 'acreate_file', file_list: 'afile_list',
  file_retrieve: 'afile_retrieve', file_content: 'afile_content', file_delete: 'afile_delete', batch_create: 'acreate_batch',
  batch_list: 'alist_batches', batch_retrieve: 'aretrieve_batch', batch_cancel: 'acancel_batch',
};

export const SURFACE_ENDPOINT_PATHS: Readonly<Record<string, string>> = {
  image_generation: '/images/generations', image_edit: '/images/edits', audio_speech: '/audio/speech', audio_transcription: '/audio/transcriptions',
  audio_translation: '/audio/translations', moderation: '/moderations', rerank: '/rerank', file_upload: '/files', file_list: '/files',
  file_retrieve: '/files', file_content: '/files', file_delete: '/files', batch_create: '/batches', batch_list: '/batches',
  batch_retrieve: '/batches', batch_cancel: '/batches',
};
